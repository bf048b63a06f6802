import { expect } from 'vitest';
import type { Sandbox } from '../../core/sandbox';

/** The writes the Sandbox committed per stored contact of a list, keyed by id. */
export function writesById(sandbox: Sandbox, listId: string): Map<string, number> {
  return new Map(
    sandbox.inspect.contactWrites(listId).map((record) => [record.id, record.writes] as const),
  );
}

/** How often a contact may have been written: exactly `n`, or a range (faults re-send). */
export type WriteCount = number | { min: number; max: number };

/**
 * Asserts exactly-once on the Sandbox's side (core/sandbox/README.md, Inspection): among the
 * list's contacts whose id `belongs` to this test, the ids are exactly the expected ones, each
 * holds its expected values, and each was written `writes` times (1 by default). "No duplicate
 * ids" alone cannot fail, since the Sandbox overwrites a contact on re-send: the write count
 * is what shows a row sent twice.
 */
export function expectWrittenOnce(
  sandbox: Sandbox,
  listId: string,
  expected: ReadonlyMap<string, Record<string, string>>,
  belongs: (id: string) => boolean,
  writes: WriteCount = 1,
): void {
  const stored = sandbox.inspect.contacts(listId).filter((contact) => belongs(contact.id));
  expect(stored.map((contact) => contact.id).sort()).toEqual([...expected.keys()].sort());
  for (const contact of stored) {
    expect(contact.data, `values of ${contact.id}`).toMatchObject(expected.get(contact.id) ?? {});
  }
  const counts = writesById(sandbox, listId);
  const wrong = [...expected.keys()]
    .map((id) => ({ id, writes: counts.get(id) ?? 0 }))
    .filter((entry) =>
      typeof writes === 'number'
        ? entry.writes !== writes
        : entry.writes < writes.min || entry.writes > writes.max,
    );
  expect(wrong, `contacts not written ${JSON.stringify(writes)} time(s)`).toEqual([]);
}

/** The contact POSTs the Sandbox logged (any status), optionally only those after `fromIndex`. */
export function contactPosts(sandbox: Sandbox, fromIndex = 0): number {
  return sandbox.inspect
    .requests()
    .slice(fromIndex)
    .filter(
      (entry) =>
        entry.method === 'POST' &&
        /^\/api\/v2\/outbound\/contactlists\/[^/]+\/contacts$/.test(entry.path),
    ).length;
}
