import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../../core/csv/csv-source';
import type { CsvFileError } from '../../../core/csv/errors';
import { openWorkbookStream } from '../../../core/csv/xlsx-part-order';
import { listSheets } from '../../../core/csv/xlsx-records';
import {
  WORKBOOK_SEEN,
  rewriteInExcelOrder,
  writeContactsWorkbook,
  writeSharedStringsWorkbook,
} from './xlsx-workbooks';

let folder: string;
let late: string;
let excelOrder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-xlsx-order-'));
  late = join(folder, 'parts-late.xlsx');
  excelOrder = join(folder, 'excel-order.xlsx');
  await writeContactsWorkbook(late);
  await rewriteInExcelOrder(late, excelOrder);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function streamBytes(path: string) {
  const opened = await openWorkbookStream(path);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  return { opened, bytes: Buffer.concat(chunks) };
}

/** Where a part's name first appears: in a local header, i.e. where the stream holds the part. */
const position = (bytes: Buffer, name: string): number => bytes.indexOf(name, 0, 'latin1');

describe('openWorkbookStream', () => {
  it('moves the part list, shared strings and styles before the sheets, every byte kept', async () => {
    const stored = await readFile(late);
    expect(position(stored, 'xl/workbook.xml')).toBeGreaterThan(
      position(stored, 'xl/worksheets/sheet1.xml'),
    );
    const { opened, bytes } = await streamBytes(late);
    expect(opened.reordered).toBe(true);
    const firstSheet = position(bytes, 'xl/worksheets/sheet1.xml');
    for (const part of [
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
    ])
      expect(position(bytes, part), part).toBeLessThan(firstSheet);
    // the same records, moved: same length, same bytes once sorted
    expect(bytes.length).toBe(stored.length);
    expect(opened.bytesRead()).toBe(stored.length);
    expect(Buffer.compare(Buffer.from(bytes).sort(), Buffer.from(stored).sort())).toBe(0);
    expect(opened.sharedStringsBytes).toBeGreaterThan(0);
  });

  it('reads a workbook in Excel order as it is stored', async () => {
    const { opened, bytes } = await streamBytes(excelOrder);
    expect(opened.reordered).toBe(false);
    expect(bytes.equals(await readFile(excelOrder))).toBe(true);
    const source = await openCsv(excelOrder);
    const rows = [];
    for await (const row of source) rows.push({ ...row.fields });
    expect(source.sheets).toEqual(['Cover', 'Lookup', 'Contacts', 'Archive']);
    expect(rows).toEqual(WORKBOOK_SEEN);
    expect((await listSheets(excelOrder)).map((sheet) => sheet.hasData)).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('streams a workbook whose sheets come first, with progress up to its size', async () => {
    const path = join(folder, 'shared-late.xlsx');
    await writeSharedStringsWorkbook(path, 60_000, false);
    const { size } = await stat(path);
    const progress: Array<{ bytesRead: number; rowsRead: number }> = [];
    const source = await openCsv(path, { onProgress: (update) => progress.push(update) });
    let rows = 0;
    let last: Record<string, string> = {};
    for await (const row of source) {
      rows += 1;
      last = row.fields;
    }
    expect(source.sheet).toBe('Contacts');
    expect(source.sheets).toEqual(['Contacts', 'Notes', 'Archive']);
    expect(rows).toBe(60_000);
    expect(last).toMatchObject({ Id: '60000', Email: 'person499@example.com' });
    // read as it goes, not in one jump at the end
    const partWay = progress.filter((update) => update.bytesRead < size);
    expect(partWay.length).toBeGreaterThan(5);
    const bytes = progress.map((update) => update.bytesRead);
    expect(bytes).toEqual([...bytes].sort((left, right) => left - right));
    expect(progress.at(-1)?.rowsRead).toBe(60_000);
    // a 60,000-row workbook written and read: about a second alone, several on a shared machine
  }, 30_000);

  it('refuses a workbook cut short or with a damaged record as unreadable, with what to do', async () => {
    const stored = await readFile(late);
    const cut = join(folder, 'cut.xlsx');
    await writeFile(cut, stored.subarray(0, Math.floor(stored.length / 2)));
    const damaged = join(folder, 'damaged.xlsx');
    const bytes = Buffer.from(stored);
    bytes.write('XX', position(bytes, 'xl/workbook.xml') - 30, 'latin1'); // its local header
    await writeFile(damaged, bytes);
    for (const path of [cut, damaged]) {
      const error = (await openCsv(path).catch((thrown: unknown) => thrown)) as CsvFileError;
      expect(error.reason, path).toBe('unreadable');
      expect(error.message).toContain('Save it again from Excel');
      await expect(listSheets(path)).rejects.toMatchObject({ reason: 'unreadable' });
    }
  });
});
