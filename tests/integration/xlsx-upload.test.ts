import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../core/csv';
import { startAppRuntime, type AppRuntime } from '../../core/services/app-runtime';
import { runFinished, webinarListId } from '../support/app-runtime-runs';

// An .xlsx upload through the app's services against the in-process Sandbox org: the chosen
// sheet of a two-sheet workbook is read (not the first one), every good row is stored once,
// and the rejected rows export as a workbook that reads back exactly.
let runtime: AppRuntime;
let folder: string;
let listId: string;
/** The run of the first test (the second exports its rows). */
let uploadRunId: string;

const HEADER = ['Email', 'First Name', 'Company', 'Work Phone', 'Score'];
const CONTACT_ROWS = 60;
/** Data rows (1-based) of the Contacts sheet whose phone is not a number. */
const BAD_PHONES = [4, 33];

/** The Contacts sheet's cells: a phone stored as a number, a score as a number, one formula-looking name. */
function contactRow(index: number): Array<string | number> {
  const phone = BAD_PHONES.includes(index) ? '555-01' : 13175550000 + index;
  const name = index === 4 ? '=HYPERLINK("x")' : `Person ${index}`;
  return [`sheet${index}@example.com`, name, 'Acme', phone, index * 1.5];
}

/** A workbook whose first sheet ("Last year") has other contacts, and the sheet to upload second. */
async function writeTwoSheetWorkbook(file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const old = workbook.addWorksheet('Last year');
  old.addRow(HEADER);
  for (let index = 1; index <= 10; index += 1) {
    old.addRow([`old${index}@example.com`, `Old ${index}`, 'Acme', `+1317555${9000 + index}`, 1]);
  }
  const contacts = workbook.addWorksheet('Contacts');
  contacts.addRow(HEADER);
  for (let index = 1; index <= CONTACT_ROWS; index += 1) contacts.addRow(contactRow(index));
  await workbook.xlsx.writeFile(file);
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-xlsx-upload-'));
  runtime = await startAppRuntime({ version: '0.0.0', dataFolder: folder, shell: 'web-host' });
  listId = await webinarListId(runtime);
});
afterAll(async () => {
  await runtime.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('xlsx upload', () => {
  it('uploads the chosen sheet of a two-sheet workbook: every good row once, values as seen', async () => {
    const file = path.join(folder, 'contacts.xlsx');
    await writeTwoSheetWorkbook(file);

    const inspection = await runtime.services['csv:inspect']({ path: file, sheet: 'Contacts' });
    expect(inspection.sheets).toEqual(['Last year', 'Contacts']);
    expect(inspection.sheet).toBe('Contacts');
    expect(inspection.sampleRows[0]).toEqual([
      'sheet1@example.com',
      'Person 1',
      'Acme',
      '13175550001',
      '1.5',
    ]);
    const matched = await runtime.services['csv:autoMatch']({
      headers: inspection.headers,
      source: { kind: 'list', orgId: 'sandbox', listId },
    });
    const mapping = {
      ...matched.mapping,
      contactId: { kind: 'column' as const, column: 'Email' },
      phone: { normalize: true, defaultCountry: 'US', invalid: 'reject' as const },
    };
    const preview = await runtime.services['csv:preview']({
      path: file,
      sheet: 'Contacts',
      source: { kind: 'list', orgId: 'sandbox', listId },
      mapping,
      rows: 5,
    });
    expect(preview.rows[0]!.values['WorkPhone']).toBe('+13175550001');

    const { runId } = await runtime.services['runs:start']({
      orgId: 'sandbox',
      listId,
      csvPath: file,
      sheet: 'Contacts',
      mapping,
      strategy: 'contacts',
      headroomPercent: 10,
      batchSize: 25,
    });
    uploadRunId = runId;
    const summary = await runFinished(runtime, runId);
    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: CONTACT_ROWS,
      uploaded: CONTACT_ROWS - BAD_PHONES.length,
      rejected: BAD_PHONES.length,
      failed: 0,
      skipped: 0,
    });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });

    // The Sandbox's side: exactly the good rows of the chosen sheet, each written once.
    const expectedIds = Array.from({ length: CONTACT_ROWS }, (_, i) => i + 1)
      .filter((index) => !BAD_PHONES.includes(index))
      .map((index) => `sheet${index}@example.com`)
      .sort();
    const stored = runtime.sandbox!.inspect.contacts(listId);
    const fromWorkbook = stored.filter((contact) => contact.id.startsWith('sheet'));
    expect(fromWorkbook.map((contact) => contact.id).sort()).toEqual(expectedIds);
    expect(stored.some((contact) => contact.id.startsWith('old'))).toBe(false);
    const writes = runtime
      .sandbox!.inspect.contactWrites(listId)
      .filter((record) => expectedIds.includes(record.id));
    expect(writes).toHaveLength(expectedIds.length);
    expect(writes.every((record) => record.writes === 1)).toBe(true);
    const second = fromWorkbook.find((contact) => contact.id === 'sheet2@example.com')!;
    expect(second.data).toMatchObject({
      Email: 'sheet2@example.com',
      FirstName: 'Person 2',
      WorkPhone: '+13175550002',
      Score: '3',
    });
  });

  it('exports the rejected rows as a workbook: every cell text, read back exactly', async () => {
    const out = path.join(folder, 'rejected.xlsx');
    const result = await runtime.services['runs:exportRows']({
      runId: uploadRunId,
      outcome: 'rejected',
      path: out,
      overwrite: false,
    });
    expect(result.rows).toBe(BAD_PHONES.length);
    await expect(
      runtime.services['runs:exportRows']({
        runId: uploadRunId,
        outcome: 'rejected',
        path: out,
        overwrite: false,
      }),
    ).rejects.toMatchObject({ code: 'exists' });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.worksheets[0]!;
    // The formula-looking name is a text cell, not a formula, and carries no `'` mark.
    const nameCell = sheet.getRow(2).getCell(8);
    expect(nameCell.type).toBe(ExcelJS.ValueType.String);
    expect(nameCell.value).toBe('=HYPERLINK("x")');

    expect([sheet.getRow(2).getCell(1).value, sheet.getRow(3).getCell(1).value]).toEqual(
      BAD_PHONES.map((index) => String(index + 1)),
    );

    // Read back as input, it is recognised as Sluice's own export: its columns are dropped and
    // the rows are the sheet's rows as the consultant had them.
    const source = await openCsv(out);
    expect(source.sluiceFile).toBe('run-rows');
    expect(source.headers).toEqual(HEADER);
    const rows = [];
    for await (const row of source) rows.push(row.fields);
    expect(rows).toEqual(
      BAD_PHONES.map((index) => ({
        Email: `sheet${index}@example.com`,
        'First Name': index === 4 ? '=HYPERLINK("x")' : `Person ${index}`,
        Company: 'Acme',
        'Work Phone': '555-01',
        Score: String(index * 1.5),
      })),
    );
  });
});
