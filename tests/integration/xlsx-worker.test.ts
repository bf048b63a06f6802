// Large workbooks in the prepare worker, whose heap is capped (core/csv/prepare-in-worker.ts):
// a workbook that stores its part list after its sheets is streamed, not loaded whole, and one
// whose shared strings the worker cannot hold is refused up front with what to do.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists } from '../support/temp-folder';
import { readMapping } from '../../core/csv/index';
import type { PrepareProgress } from '../../core/csv/index';
import { prepareCsvInWorker } from '../../core/csv/prepare-in-worker';
import { openWorkbookStream } from '../../core/csv/xlsx-part-order';
import { listSheets } from '../../core/csv/xlsx-records';
import { FIXTURE_MAPPING } from '../unit/csv/fixtures';
import { testSchema } from '../unit/csv/helpers';
import { writeSharedStringsWorkbook } from '../unit/csv/xlsx-workbooks';

const LARGE_ROWS = 200_000;
let folder: string;
let large: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-xlsx-worker-'));
  large = join(folder, 'large.xlsx');
  await writeSharedStringsWorkbook(large, LARGE_ROWS, false);
}, 120_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const options = (csvPath: string, name: string) => ({
  csvPath,
  schema: testSchema(),
  mapping: readMapping(FIXTURE_MAPPING),
  outPath: join(folder, `${name}.clean.csv`),
  rejectsPath: join(folder, `${name}.rejects.csv`),
});

describe('a large workbook with its part list after its sheets, in the prepare worker', () => {
  it('is streamed: every row prepared, progress all along up to its size', async () => {
    const opened = await openWorkbookStream(large);
    opened.stream.destroy();
    expect(opened.reordered).toBe(true); // the case that used to be loaded whole
    const { size } = await stat(large);
    const progress: PrepareProgress[] = [];
    const summary = await prepareCsvInWorker({
      ...options(large, 'large'),
      onProgress: (update) => progress.push(update),
    });
    expect(summary).toMatchObject({
      format: 'xlsx',
      sheet: 'Contacts',
      rowsRead: LARGE_ROWS,
      clean: LARGE_ROWS,
      rejected: 0,
    });
    const lines = (await readFile(join(folder, 'large.clean.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(LARGE_ROWS + 1);
    expect(lines.at(-1)).toContain(`person${(LARGE_ROWS - 1) % 500}@example.com`);
    const preparing = progress.filter((update) => update.phase === 'preparing');
    expect(preparing.filter((update) => update.bytesRead < size).length).toBeGreaterThan(10);
    expect(preparing.at(-1)).toMatchObject({ bytesRead: size, rowsRead: LARGE_ROWS });
  }, 180_000);

  it('cancels part way: reason cancelled, nothing written', async () => {
    const controller = new AbortController();
    const run = prepareCsvInWorker({
      ...options(large, 'cancelled'),
      signal: controller.signal,
      onProgress: (update) => {
        if (update.rowsRead > 10_000) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'CsvFileError', reason: 'cancelled' });
    expect(await exists(join(folder, 'cancelled.clean.csv'))).toBe(false);
    expect(await exists(join(folder, 'cancelled.rejects.csv'))).toBe(false);
  }, 120_000);
});

describe('a workbook whose shared strings the worker cannot hold', () => {
  it('is refused before any row with what to do, nothing written; a larger heap reads it', async () => {
    // two unique strings a row: ~10.6 MB of shared strings, above the worker's 9.3 MB
    const wide = join(folder, 'unique-text.xlsx');
    await writeSharedStringsWorkbook(wide, 175_000, true);
    const progress: PrepareProgress[] = [];
    const error = await prepareCsvInWorker({
      ...options(wide, 'unique'),
      onProgress: (update) => progress.push(update),
    }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'CsvFileError', reason: 'too-large', path: wide });
    expect((error as Error).message).toMatch(/shared table of \d+\.\d MB/);
    expect((error as Error).message).toContain('Save the sheet as CSV');
    expect(progress.filter((update) => update.rowsRead > 0)).toEqual([]);
    expect(await exists(join(folder, 'unique.clean.csv'))).toBe(false);
    expect(await exists(join(folder, 'unique.rejects.csv'))).toBe(false);
    // the limit is the thread's heap: this test's own thread holds the table
    expect((await listSheets(wide)).map((sheet) => [sheet.name, sheet.hasData])).toEqual([
      ['Contacts', true],
      ['Notes', true],
      ['Archive', true],
    ]);
  }, 180_000);
});
