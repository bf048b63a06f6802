import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../../core/csv/csv-source';
import { csvRecords } from '../../support/csv-records';
import { RECONCILIATION_COLUMNS, writeReconciliation } from '../../../core/csv/reconciliation';
import type { ReconciliationRecord } from '../../../core/csv/reconciliation';
import { XlsxWriter } from '../../../core/csv/xlsx-writer';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-reconciliation-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const RECORDS: ReconciliationRecord[] = [
  { sourceRow: 2, crmId: 'C1', contactId: 'C1', outcome: 'uploaded' },
  {
    sourceRow: 3,
    crmId: '=HYPERLINK("x")',
    contactId: '',
    outcome: 'rejected',
    reason: "Row 3: MobilePhone '555-01' is not a valid number",
  },
  {
    sourceRow: 4,
    crmId: '+17735552000',
    contactId: 'k-9f2',
    outcome: 'failed',
    reason: '-1 retries left',
  },
  {
    sourceRow: 5,
    crmId: 'C4',
    contactId: 'C4',
    outcome: 'skipped',
    reason: 'skipped by the consultant',
    idFrom: 'typed in',
  },
];
const ID_FROM = 'chosen by Sluice: the CustomerId column';

async function* slowly(records: ReconciliationRecord[]): AsyncGenerator<ReconciliationRecord> {
  for (const record of records) yield record;
}

describe('writeReconciliation', () => {
  it('writes one formula-safe CSV row per source row, and reads back as the records', async () => {
    const path = join(folder, 'reconciliation.csv');
    const summary = await writeReconciliation(RECORDS, path, { idFrom: ID_FROM });
    expect(summary).toEqual({
      rows: 4,
      byOutcome: { uploaded: 1, rejected: 1, failed: 1, skipped: 1, pending: 0 },
    });
    const text = await readFile(path, 'utf8');
    expect(text.startsWith(`\ufeff${RECONCILIATION_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).toContain(',+17735552000,');
    expect(text).toContain("'-1 retries left");
    const rows = await csvRecords(path);
    expect(
      rows.map((row) => [
        row['Source row'],
        row['Genesys contact id'],
        row.Outcome,
        row['Contact id from'],
      ]),
    ).toEqual([
      ['2', 'C1', 'uploaded', ID_FROM],
      ['3', '', 'rejected', ID_FROM],
      ['4', 'k-9f2', 'failed', ID_FROM],
      ['5', 'C4', 'skipped', 'typed in'],
    ]);
  });

  it('writes a workbook when the path ends in .xlsx, every cell text', async () => {
    const path = join(folder, 'reconciliation.xlsx');
    await writeReconciliation(slowly(RECORDS), path);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('Reconciliation')!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...RECONCILIATION_COLUMNS]);
    expect(sheet.getRow(3).getCell(2).value).toBe('=HYPERLINK("x")');
    expect(sheet.getRow(3).getCell(2).formula).toBeUndefined();
    expect(sheet.getRow(4).getCell(2).value).toBe('+17735552000');
    expect(sheet.getRow(2).getCell(1).value).toBe('2');
    expect(sheet.rowCount).toBe(5);
  });

  it('removes the file when the records fail midway', async () => {
    const path = join(folder, 'broken.csv');
    async function* failing(): AsyncGenerator<ReconciliationRecord> {
      yield RECORDS[0]!;
      throw new Error('journal unreadable');
    }
    await expect(writeReconciliation(failing(), path)).rejects.toThrow('journal unreadable');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('XlsxWriter', () => {
  it('streams many rows into a workbook openCsv reads back exactly', async () => {
    const path = join(folder, 'many.xlsx');
    const writer = await XlsxWriter.create(path, { sheetName: 'Clean' });
    writer.writeRow(['Id', 'Phone', 'Zip', 'Note']);
    for (let index = 0; index < 5000; index += 1) {
      writer.writeRow([
        `C${index}`,
        `+1312555${String(index).padStart(4, '0')}`,
        '02134',
        index % 2 ? '' : '=x',
      ]);
      await writer.flushIfFull();
    }
    await writer.close();
    const source = await openCsv(path);
    expect(source.sheet).toBe('Clean');
    let count = 0;
    for await (const row of source) {
      const index = count;
      expect(row.values).toEqual([
        `C${index}`,
        `+1312555${String(index).padStart(4, '0')}`,
        '02134',
        index % 2 ? '' : '=x',
      ]);
      count += 1;
    }
    expect(count).toBe(5000);
  });
});
