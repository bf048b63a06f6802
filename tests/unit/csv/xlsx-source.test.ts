import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../../core/csv/csv-source';
import { CsvFileError } from '../../../core/csv/errors';
import { listSheets } from '../../../core/csv/xlsx-records';
import { cellText, numberText } from '../../../core/csv/xlsx-cells';
import { WORKBOOK_HEADER, WORKBOOK_SEEN, writeContactsWorkbook } from './xlsx-workbooks';

let folder: string;
let workbook: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-xlsx-source-'));
  workbook = join(folder, 'contacts.xlsx');
  await writeContactsWorkbook(workbook);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function readAll(path: string, sheet?: string) {
  const source = await openCsv(path, sheet === undefined ? {} : { sheet });
  const rows: Array<{ rowNumber: number; fields: Record<string, string>; problems: number }> = [];
  for await (const row of source)
    rows.push({
      rowNumber: row.rowNumber,
      fields: { ...row.fields },
      problems: row.problems.length,
    });
  return { source, rows };
}

describe('openCsv on an .xlsx workbook', () => {
  it('reads the first visible sheet with data, cells as the consultant sees them', async () => {
    const { source, rows } = await readAll(workbook);
    expect(source.format).toBe('xlsx');
    expect(source.sheet).toBe('Contacts');
    expect(source.sheets).toEqual(['Cover', 'Lookup', 'Contacts', 'Archive']);
    expect(source.headers).toEqual(WORKBOOK_HEADER);
    expect(source.headerProblems).toEqual([]);
    expect(rows.map((row) => row.fields)).toEqual(WORKBOOK_SEEN);
    // Excel's own row numbers: a blank row 1, the header on row 2.
    expect(rows.map((row) => row.rowNumber)).toEqual([3, 4, 5]);
    expect(rows.every((row) => row.problems === 0)).toBe(true);
  });

  it('reports progress in bytes of the workbook and data rows', async () => {
    const progress: Array<{ bytesRead: number; totalBytes: number; rowsRead: number }> = [];
    const source = await openCsv(workbook, { onProgress: (update) => progress.push(update) });
    for await (const _row of source) void _row;
    expect(progress.at(-1)?.rowsRead).toBe(3);
    expect(progress.at(-1)?.bytesRead).toBeGreaterThan(0);
    expect(progress.at(-1)?.bytesRead).toBeLessThanOrEqual(source.totalBytes);
  });

  it('is recognised by its bytes whatever its name', async () => {
    const renamed = join(folder, 'contacts-export.csv');
    await writeFile(renamed, await import('node:fs/promises').then((fs) => fs.readFile(workbook)));
    const { source, rows } = await readAll(renamed);
    expect(source.format).toBe('xlsx');
    expect(rows).toHaveLength(3);
  });

  it('reads the sheet asked for, and names the sheets when it does not exist', async () => {
    const { source, rows } = await readAll(workbook, 'Archive');
    expect(source.sheet).toBe('Archive');
    expect(rows.map((row) => row.fields)).toEqual([
      { Id: 'A1', 'First Name': 'Old' },
      { Id: 'A2', 'First Name': 'Older' },
    ]);
    const hidden = await readAll(workbook, 'Lookup');
    expect(hidden.rows).toHaveLength(1);
    const error = await openCsv(workbook, { sheet: 'Leads' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CsvFileError);
    expect((error as CsvFileError).reason).toBe('no-sheet');
    expect((error as Error).message).toContain('"Cover", "Lookup", "Contacts", "Archive"');
    const empty = await openCsv(workbook, { sheet: 'Cover' }).catch((thrown: unknown) => thrown);
    expect((empty as CsvFileError).reason).toBe('empty');
  });

  it('lists sheets with whether they hold data', async () => {
    expect(await listSheets(workbook)).toEqual([
      { name: 'Cover', hidden: false, hasData: false },
      { name: 'Lookup', hidden: true, hasData: true },
      { name: 'Contacts', hidden: false, hasData: true },
      { name: 'Archive', hidden: false, hasData: true },
    ]);
  });

  it('reads a workbook that stores its part list after its sheets (streamed, not refused)', async () => {
    // exceljs's own writer stores xl/workbook.xml last; with a few sheets its streaming reader
    // then reaches the sheets without their names and fails before the first row, unless the
    // part list is read first (xlsx-part-order.ts)
    const late = join(folder, 'parts-late.xlsx');
    const book = new ExcelJS.Workbook();
    const contacts = book.addWorksheet('Contacts');
    contacts.addRow(['Id', 'Zip']);
    contacts.addRow(['C1', '02134']);
    contacts.addRow(['C2', '60601']);
    for (let index = 1; index <= 5; index += 1) {
      const old = book.addWorksheet(`Old ${index}`, index === 1 ? { state: 'hidden' } : {});
      for (let row = 1; row <= 40; row += 1) old.addRow([`X${row}`, `Y${row}`]);
    }
    await book.xlsx.writeFile(late);
    const zipped = (await readFile(late)).toString('latin1');
    expect(zipped.lastIndexOf('xl/workbook.xml')).toBeGreaterThan(
      zipped.lastIndexOf('xl/worksheets/sheet6.xml'),
    );

    const { source, rows } = await readAll(late);
    expect(source.sheet).toBe('Contacts');
    expect(source.sheets).toEqual(['Contacts', 'Old 1', 'Old 2', 'Old 3', 'Old 4', 'Old 5']);
    expect(source.headers).toEqual(['Id', 'Zip']);
    expect(rows.map((row) => row.fields)).toEqual([
      { Id: 'C1', Zip: '02134' },
      { Id: 'C2', Zip: '60601' },
    ]);
    const named = await readAll(late, 'Old 3');
    expect(named.rows).toHaveLength(39);
    expect(named.rows[0]?.fields).toEqual({ X1: 'X2', Y1: 'Y2' });
    expect((await listSheets(late)).map((sheet) => [sheet.name, sheet.hidden])).toEqual([
      ['Contacts', false],
      ['Old 1', true],
      ['Old 2', false],
      ['Old 3', false],
      ['Old 4', false],
      ['Old 5', false],
    ]);
  });

  it('skips sheets it does not read without leaving a stream to fail (no uncaught ENOENT)', async () => {
    // exceljs buffers sheets stored before the part list in temp files and deletes each once the
    // reader moves on; a skipped sheet's unread stream then failed to open now and then, as an
    // uncaught error that could end the app (1 in ~250 reads): many reads make it show
    const path = join(folder, 'three-sheets.xlsx');
    const book = new ExcelJS.Workbook();
    for (const name of ['One', 'Two', 'Three']) {
      const sheet = book.addWorksheet(name);
      sheet.addRow(['Id', 'Sheet']);
      sheet.addRow([`${name}-1`, name]);
    }
    await book.xlsx.writeFile(path);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      for (let read = 0; read < 120; read += 1) {
        expect((await readAll(path, 'Three')).rows.map((row) => row.fields.Id)).toEqual([
          'Three-1',
        ]);
        expect((await readAll(path)).rows.map((row) => row.fields.Id)).toEqual(['One-1']);
        expect((await listSheets(path)).filter((sheet) => sheet.hasData)).toHaveLength(3);
      }
      await new Promise((resolve) => setTimeout(resolve, 100)); // a late open reports here
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    // 360 workbook reads: a few seconds alone, more on a loaded machine (a hang guard, not a timing)
  }, 60_000);

  it('refuses a damaged workbook with what to do', async () => {
    const broken = join(folder, 'broken.xlsx');
    await writeFile(
      broken,
      Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64)]),
    );
    const error = await openCsv(broken).catch((thrown: unknown) => thrown);
    expect((error as CsvFileError).reason).toBe('unreadable');
    expect((error as Error).message).toMatch(/Excel Workbook \(\.xlsx\)/);
  });
});

describe('cell text', () => {
  it('writes numbers in full digits at 15 significant digits, never in E notation', () => {
    expect(numberText(13125550123, undefined)).toBe('13125550123');
    expect(numberText(Number('12345678901234567890'), undefined)).toBe('12345678901234600000');
    expect(numberText(0.1 + 0.2, 'General')).toBe('0.3');
    expect(numberText(1e-7, undefined)).toBe('0.0000001');
    expect(numberText(2134, '00000')).toBe('02134');
    expect(numberText(-5, '000')).toBe('-005');
    expect(numberText(1234.5, '#,##0.00')).toBe('1234.50');
    expect(numberText(0.256, '0.0%')).toBe('25.6%');
    expect(numberText(42, '@')).toBe('42');
  });

  it('reads formulas as their cached result, errors as their code, rich text as text', () => {
    expect(cellText({ formula: 'A1', result: 'x' }, undefined)).toBe('x');
    expect(cellText({ formula: 'A1', result: 45_672 }, 'yyyy-mm-dd')).toBe('2025-01-15');
    expect(cellText({ formula: 'A1' } as never, undefined)).toBe('');
    expect(cellText({ error: '#N/A' } as never, undefined)).toBe('#N/A');
    expect(cellText({ richText: [{ text: 'Ann ' }, { text: 'Lee' }] }, undefined)).toBe('Ann Lee');
    expect(cellText(new Date(Date.UTC(1899, 11, 30, 9, 5)), 'h:mm')).toBe('09:05');
  });
});
