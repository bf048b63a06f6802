import { describe, expect, it } from 'vitest';
import { FingerprintTable, idHash } from '../../../core/csv/fingerprint-table';

/** `wanted` ids whose hashes share their top `bits` bits: one home slot in a 2^bits table. */
function sameHome(wanted: number, bits: number): string[] {
  const home = idHash('seed')[0] >>> (32 - bits);
  const ids: string[] = [];
  for (let index = 0; ids.length < wanted; index += 1) {
    const id = `x${index}`;
    if (idHash(id)[0] >>> (32 - bits) === home) ids.push(id);
  }
  return ids;
}

/** Every id's add() answer, count and last row against a Map, in one comparison. */
function mismatches(table: FingerprintTable, ids: string[]): string[] {
  const seen = new Map<string, { count: number; lastRow: number }>();
  const wrong: string[] = [];
  ids.forEach((id, index) => {
    const before = seen.get(id);
    if (table.add(id, index + 2) !== (before === undefined)) wrong.push(`add ${id}`);
    seen.set(id, { count: Math.min(255, (before?.count ?? 0) + 1), lastRow: index + 2 });
  });
  for (const [id, { count, lastRow }] of seen) {
    if (table.count(id) !== count) wrong.push(`count ${id}`);
    if (table.lastRow(id) !== lastRow) wrong.push(`lastRow ${id}`);
  }
  if (table.distinct !== seen.size) wrong.push(`distinct ${table.distinct} != ${seen.size}`);
  return wrong;
}

describe('FingerprintTable (quotiented slots, Robin Hood probing)', () => {
  it('tells apart ids that share a home slot, in any order of insertion', () => {
    const ids = sameHome(40, 16);
    const table = new FingerprintTable(true);
    expect(mismatches(table, [...ids, ...ids.slice().reverse(), ids[3]!])).toEqual([]);
    expect(table.count('seed')).toBe(0);
  });

  it('keeps ids past the distance a slot can say, without growing, and across growth', () => {
    // 70 ids on one home slot: distances up to 70, past the 6 bits (63) a slot holds; doubling
    // would not part them (their homes stay side by side), so the last ones spill to a Map.
    const ids = sameHome(70, 16);
    const slots = (table: FingerprintTable): number =>
      (table as unknown as { low: Uint32Array }).low.length;
    const table = new FingerprintTable(true);
    expect(mismatches(table, [...ids, ...ids])).toEqual([]);
    expect(slots(table)).toBe(2 ** 16);
    // Growth past the presize re-places the slots' entries; spilled ones stay found.
    const grown = new FingerprintTable(true);
    const more = Array.from({ length: 60_000 }, (_, index) => `more-${index}`);
    expect(mismatches(grown, [...ids, ...more, ...ids.slice(0, 10)])).toEqual([]);
    expect(slots(grown)).toBe(2 ** 17);
  });

  it('matches a Map on 300,000 rows with repeats, grown from the smallest presize', () => {
    let state = 12_345;
    const ids = Array.from({ length: 300_000 }, () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return `C${state % 200_000}`;
    });
    expect(mismatches(new FingerprintTable(true, 10), ids)).toEqual([]);
  });

  it('holds a file of one id repeated: count saturates at 255, last row the last', () => {
    const table = new FingerprintTable(true, 3_000_000);
    for (let row = 2; row < 1_002; row += 1) table.add('same', row);
    expect([table.distinct, table.count('same'), table.lastRow('same')]).toEqual([1, 255, 1_001]);
  });

  it('answers 0 for counts and rows when it does not track rows', () => {
    const table = new FingerprintTable(false);
    expect([table.add('a', 2), table.add('a', 3), table.count('a'), table.lastRow('a')]).toEqual([
      true,
      false,
      0,
      0,
    ]);
  });
});
