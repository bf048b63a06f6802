// The rejects round trip a consultant does: prepare, open the rejects file in a spreadsheet,
// correct the bad cells, save, prepare the saved file again. It must come out all clean with
// the original values: Sluice's columns dropped, its formula marks undone.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../support/csv-records';
import { readMapping } from '../../../core/csv/mapping';
import { prepareCsv } from '../../../core/csv/prepare';
import { FIXTURE_MAPPING, HEADER } from './fixtures';
import { testSchema } from './helpers';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-round-trip-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// Names a spreadsheet would evaluate, and valid phones with a leading +: all must survive.
const ORIGINAL = [
  ['C1', '@Ann', 'Lee', '(212) 555-0199', '+17735552000', 'ann@example.com'],
  ['C2', '=Bob', '-Ray', '555-01', '+17735552001', 'bob@example.com'],
  ['C3', 'Cy', '+Plus', '12', '+17735552002', 'cy@example.com'],
  ['C4', 'Di', "O'Hara", 'call me', '', '-di@example.com'],
];
const CORRECTIONS: Record<string, string> = {
  C2: '(212) 555-0123',
  C3: '2125550144',
  C4: '+44 20 7946 0958',
};
const CORRECTED = ORIGINAL.map(([id, ...rest]) =>
  CORRECTIONS[id!]
    ? [id!, rest[0]!, rest[1]!, CORRECTIONS[id!]!, rest[3]!, rest[4]!]
    : [id!, ...rest],
);

const mapping = readMapping(FIXTURE_MAPPING);

async function prepare(csvPath: string, name: string, ext: 'csv' | 'xlsx') {
  const outPath = join(folder, `${name}.clean.csv`);
  const rejectsPath = join(folder, `${name}.rejects.${ext}`);
  const summary = await prepareCsv({
    csvPath,
    schema: testSchema(),
    mapping,
    outPath,
    rejectsPath,
  });
  return { summary, clean: await csvRecords(outPath), rejectsPath };
}

function csvText(rows: string[][]): string {
  return `${Papa.unparse([HEADER, ...rows], { newline: '\r\n' })}\r\n`;
}

/** The clean rows a correct file gives: what the fixed rejects must prepare into. */
async function expectedCleanRows(): Promise<Array<Record<string, string>>> {
  const path = join(folder, 'corrected.csv');
  await writeFile(path, csvText(CORRECTED));
  const { summary, clean } = await prepare(path, 'corrected', 'csv');
  expect(summary.clean).toBe(4);
  return clean.filter((row) => row.CustomerId !== 'C1');
}

describe('the rejects round trip', () => {
  it('CSV: a rejects file fixed in a spreadsheet prepares clean with the original values', async () => {
    const original = join(folder, 'original.csv');
    await writeFile(original, csvText(ORIGINAL));
    const first = await prepare(original, 'first', 'csv');
    expect(first.summary).toMatchObject({ rowsRead: 4, clean: 1, rejected: 3 });

    // Only formula-like cells carry Sluice's mark; a phone with a leading + does not.
    const rejectsText = await readFile(first.rejectsPath, 'utf8');
    expect(rejectsText).toContain("'=Bob");
    expect(rejectsText).toContain("'-Ray");
    expect(rejectsText).toContain("'-di@example.com");
    expect(rejectsText).toContain(',+17735552001,');
    expect(rejectsText).not.toContain("'+17735552001");

    // The spreadsheet: cells are text, the consultant retypes the bad Mobile cells, saves as CSV.
    const sheet = Papa.parse<string[]>(rejectsText.replace(/^\ufeff/, ''), {
      skipEmptyLines: true,
    }).data;
    const header = sheet[0]!;
    const mobile = header.indexOf('Mobile');
    const id = header.indexOf('Id');
    for (const row of sheet.slice(1)) row[mobile] = CORRECTIONS[row[id]!]!;
    const fixed = join(folder, 'fixed.csv');
    await writeFile(fixed, `\ufeff${Papa.unparse(sheet, { newline: '\r\n' })}\r\n`);

    const second = await prepare(fixed, 'second', 'csv');
    expect(second.summary).toMatchObject({
      rowsRead: 3,
      clean: 3,
      rejected: 0,
      sluiceFile: 'prepare-rejects',
      headerProblems: [],
    });
    expect(second.clean).toEqual(await expectedCleanRows());
    expect(second.clean.map((row) => [row.FirstName, row.LastName, row.Email])).toEqual([
      ['=Bob', '-Ray', 'bob@example.com'],
      ['Cy', '+Plus', 'cy@example.com'],
      ['Di', "O'Hara", '-di@example.com'],
    ]);
  });

  it('xlsx: the same round trip through a workbook rejects file', async () => {
    const original = join(folder, 'original.xlsx');
    const book = new ExcelJS.Workbook();
    const input = book.addWorksheet('Export');
    input.addRow(HEADER);
    for (const row of ORIGINAL) input.addRow(row);
    await book.xlsx.writeFile(original);
    const first = await prepare(original, 'first-xlsx', 'xlsx');
    expect(first.summary).toMatchObject({ rowsRead: 4, clean: 1, rejected: 3, format: 'xlsx' });

    // The consultant opens the rejects workbook, retypes the bad Mobile cells, saves.
    const rejects = new ExcelJS.Workbook();
    await rejects.xlsx.readFile(first.rejectsPath);
    const sheet = rejects.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    expect(header.slice(1, 4)).toEqual(['Sluice row', 'Sluice rules', 'Sluice reasons']);
    // Text cells, exactly as read: no marks needed in a workbook.
    expect(sheet.getRow(2).getCell(header.indexOf('First Name')).value).toBe('=Bob');
    expect(sheet.getRow(2).getCell(header.indexOf('First Name')).formula).toBeUndefined();
    for (let rowNumber = 2; rowNumber <= sheet.rowCount; rowNumber += 1) {
      const row = sheet.getRow(rowNumber);
      const id = String(row.getCell(header.indexOf('Id')).value);
      row.getCell(header.indexOf('Mobile')).value = CORRECTIONS[id]!;
    }
    const fixed = join(folder, 'fixed.xlsx');
    await rejects.xlsx.writeFile(fixed);

    const second = await prepare(fixed, 'second-xlsx', 'xlsx');
    expect(second.summary).toMatchObject({
      rowsRead: 3,
      clean: 3,
      rejected: 0,
      sluiceFile: 'prepare-rejects',
    });
    expect(second.clean).toEqual(await expectedCleanRows());
  });

  it('a CSV rejects file of an older Sluice (every + or - start marked) reads back unmarked', async () => {
    const old = join(folder, 'old-rejects.csv');
    await writeFile(
      old,
      `\ufeffSluice row,Sluice rules,Sluice reasons,${HEADER.join(',')}\r\n` +
        `3,phone,bad,C2,'=Bob,'-Ray,(212) 555-0123,'+17735552001,bob@example.com\r\n`,
    );
    const again = await prepare(old, 'old', 'csv');
    expect(again.summary).toMatchObject({ rowsRead: 1, clean: 1, rejected: 0 });
    expect(again.clean[0]).toMatchObject({
      FirstName: '=Bob',
      LastName: '-Ray',
      HomePhone: '+17735552001',
    });
  });
});
