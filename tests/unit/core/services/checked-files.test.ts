import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaSource } from '../../../../core/contract';
import type { Mapping } from '../../../../core/csv';
import { fileStamp } from '../../../../core/engine/run/file-rows';
import { CheckedFiles } from '../../../../core/services/checked-files';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-checked-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const source: SchemaSource = { kind: 'list', orgId: 'sandbox', listId: 'list-1' };
const mapping = {
  columns: { Email: { source: { kind: 'csv', header: 'Email' } } },
  contactId: { kind: 'column', column: 'Email' },
  duplicateIds: 'keep-first',
} as unknown as Mapping;
const rules = { source, mapping };

describe('CheckedFiles', () => {
  it("gives back a check's count and rejects for the same file, sheet and rules", () => {
    const path = tempFile('a.csv', 'Email\na@x\nb@x\n');
    const files = new CheckedFiles();
    files.remember({ path, sheet: undefined }, fileStamp(path), rules, {
      rowsRead: 2,
      rejected: 1,
    });
    const stamp = fileStamp(path);
    expect(files.countFor({ path, sheet: undefined }, rules)).toEqual({
      rows: 2,
      rejected: 1,
      size: stamp?.size,
      mtimeMs: stamp?.mtimeMs,
    });
    // the same rules spelled with their keys in another order are the same rules
    const reordered = {
      source: { listId: 'list-1', orgId: 'sandbox', kind: 'list' } as SchemaSource,
      mapping: {
        duplicateIds: 'keep-first',
        contactId: { column: 'Email', kind: 'column' },
        columns: mapping.columns,
      } as Mapping,
    };
    expect(files.countFor({ path, sheet: undefined }, reordered)?.rejected).toBe(1);
    // another sheet of the file was never counted
    expect(files.countFor({ path, sheet: 'Other' }, rules)).toBeUndefined();
  });

  it('gives the rows but not the rejects to a run with another list or mapping', () => {
    const path = tempFile('b.csv', 'Email\na@x\n');
    const files = new CheckedFiles();
    files.remember({ path, sheet: undefined }, fileStamp(path), rules, {
      rowsRead: 1,
      rejected: 1,
    });
    const otherList = { ...rules, source: { ...source, listId: 'list-2' } as SchemaSource };
    const otherIds = {
      ...rules,
      mapping: { ...mapping, contactId: { kind: 'hash', columns: ['Email'] } } as Mapping,
    };
    for (const other of [otherList, otherIds]) {
      const count = files.countFor({ path, sheet: undefined }, other);
      expect(count?.rows).toBe(1);
      expect(count).not.toHaveProperty('rejected');
    }
  });

  it('gives nothing once the file is edited, nor for a file written while it was checked', () => {
    const path = tempFile('c.csv', 'Email\na@x\n');
    const files = new CheckedFiles();
    const before = fileStamp(path);
    files.remember({ path, sheet: undefined }, before, rules, { rowsRead: 1, rejected: 0 });
    writeFileSync(path, 'Email\na@x\nb@x\n');
    expect(files.countFor({ path, sheet: undefined }, rules)).toBeUndefined();
    // the check began on the old file and ended on the new one: no count to trust
    files.remember({ path, sheet: undefined }, before, rules, { rowsRead: 2, rejected: 0 });
    utimesSync(path, new Date(), new Date((before?.mtimeMs ?? 0) + 10_000));
    const now = fileStamp(path);
    expect(files.countFor({ path, sheet: undefined }, rules)).toBeUndefined();
    // and a check that could not stat the file remembers nothing
    files.remember({ path, sheet: undefined }, undefined, rules, { rowsRead: 2, rejected: 0 });
    expect(files.countFor({ path, sheet: undefined }, rules)).toBeUndefined();
    files.remember({ path, sheet: undefined }, now, rules, { rowsRead: 2, rejected: 0 });
    expect(files.countFor({ path, sheet: undefined }, rules)?.rows).toBe(2);
  });

  it('keeps the latest 50 checks', () => {
    const files = new CheckedFiles();
    const paths = Array.from({ length: 51 }, (_, index) => tempFile(`f${index}.csv`, 'Email\n'));
    for (const path of paths) {
      files.remember({ path, sheet: undefined }, fileStamp(path), rules, {
        rowsRead: 0,
        rejected: 0,
      });
    }
    expect(files.countFor({ path: paths[0]!, sheet: undefined }, rules)).toBeUndefined();
    expect(files.countFor({ path: paths[1]!, sheet: undefined }, rules)?.rows).toBe(0);
    expect(files.countFor({ path: paths[50]!, sheet: undefined }, rules)?.rows).toBe(0);
  });
});
