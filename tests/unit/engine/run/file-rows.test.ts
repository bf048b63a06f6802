import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CountedRows,
  fileStamp,
  rowsIfUnchanged,
  sameStamp,
} from '../../../../core/engine/run/file-rows';
import { RunMeta, newRunMeta } from '../../../../core/engine/run/run-meta';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-file-rows-'));
  dirs.push(dir);
  const path = join(dir, 'contacts.csv');
  writeFileSync(path, text);
  return path;
}

describe('file rows', () => {
  it('gives the count while the file keeps its size and mtime, and nothing once it is edited', () => {
    const path = tempFile('Name,Phone\na,1\nb,2\n');
    const stamp = fileStamp(path);
    if (!stamp) throw new Error('no stamp');
    const count: CountedRows = { rows: 2, rejected: 1, ...stamp };
    expect(rowsIfUnchanged(path, count)).toEqual({ rows: 2, rejected: 1 });
    expect(rowsIfUnchanged(path, { rows: 2, ...stamp })).toEqual({ rows: 2 });
    // an edit that keeps the size still moves the mtime
    writeFileSync(path, 'Name,Phone\na,1\nc,3\n');
    utimesSync(path, new Date(), new Date(stamp.mtimeMs + 5000));
    expect(rowsIfUnchanged(path, count)).toBeUndefined();
    // one that keeps the mtime (a copy preserving times) moves the size
    writeFileSync(path, 'Name,Phone\na,1\nb,2\nc,3\n');
    utimesSync(path, new Date(), new Date(stamp.mtimeMs));
    expect(rowsIfUnchanged(path, count)).toBeUndefined();
    expect(rowsIfUnchanged(path, undefined)).toBeUndefined();
  });

  it('has no stamp for a missing file or a folder, and two missing stamps are not the same', () => {
    const path = tempFile('Name\na\n');
    expect(fileStamp(join(path, '..'))).toBeUndefined();
    expect(fileStamp(`${path}.gone`)).toBeUndefined();
    expect(sameStamp(undefined, undefined)).toBe(false);
    expect(rowsIfUnchanged(`${path}.gone`, { rows: 1, size: 0, mtimeMs: 0 })).toBeUndefined();
  });

  it('refuses a count in run.json that is negative, fractional, past the bound or has more rejects than rows', () => {
    const meta = newRunMeta({
      runId: 'r1',
      orgName: 'Sandbox',
      apiUrl: 'http://127.0.0.1:1',
      clientId: 'c',
      contactListId: 'l',
      strategy: 'contacts',
      csvPath: '/tmp/x.csv',
      batchSize: 100,
      headroom: 0.1,
    });
    const withCount = (fileRows: unknown) => RunMeta.safeParse({ ...meta, fileRows }).success;
    expect(withCount({ rows: 10, rejected: 2, size: 100, mtimeMs: 1.5 })).toBe(true);
    expect(withCount(undefined)).toBe(true);
    expect(withCount({ rows: -1, size: 100, mtimeMs: 1 })).toBe(false);
    expect(withCount({ rows: 1.5, size: 100, mtimeMs: 1 })).toBe(false);
    expect(withCount({ rows: 2e9, size: 100, mtimeMs: 1 })).toBe(false);
    expect(withCount({ rows: 3, rejected: 4, size: 100, mtimeMs: 1 })).toBe(false);
    expect(withCount({ rows: 3, mtimeMs: 1 })).toBe(false);
  });
});
