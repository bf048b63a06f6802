// The whole-file check of a workbook sheet that is not the default one: the warnings it shows
// are the chosen sheet's rows (the clean file the worker wrote holds that sheet), not the rows
// at the same places in the first sheet with data.
import ExcelJS from 'exceljs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, dispatch } from '../../core/services';
import { emailNameMapping, writeEmailNameList } from '../support/email-name-job';

let folder: string;
let workbookPath: string;
let listPath: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-workbook-check-test-'));
  workbookPath = join(folder, 'export.xlsx');
  const workbook = new ExcelJS.Workbook();
  // The first sheet with data, which a check reads when no sheet is chosen.
  const old = workbook.addWorksheet('Old');
  old.addRow(['Email', 'Name']);
  old.addRow(['x@example.com', 'Xavier']);
  old.addRow(['y@example.com', 'Yves']);
  old.addRow(['z@example.com', 'Zed']);
  const chosen = workbook.addWorksheet('New');
  chosen.addRow(['Email', 'Name']);
  chosen.addRow(['a@example.com', 'Ann']);
  chosen.addRow(['', 'Bob']); // no contact id: rejected
  chosen.addRow(['c@example.com', '=HYPERLINK("x")']); // sent, with a formula warning
  await workbook.xlsx.writeFile(workbookPath);
  listPath = await writeEmailNameList(folder);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

it('shows the warnings of the sheet it checked', async () => {
  const services = createServices({ version: 't', dataFolder: folder, shell: 'web-host' });
  const answer = await dispatch(services, 'csv:check', {
    jobId: 'check-sheet',
    path: workbookPath,
    sheet: 'New',
    source: { kind: 'file', path: listPath },
    mapping: emailNameMapping(),
  });
  expect(answer).toMatchObject({
    ok: true,
    value: { rowsRead: 3, clean: 2, rejected: 1, warned: 1, byWarning: { formula: 1 } },
  });
  if (!answer.ok) return;
  const check = answer.value as { errorRows: unknown[]; warningRows: unknown[] };
  expect(check.errorRows).toMatchObject([{ rowNumber: 3, values: ['', 'Bob'] }]);
  expect(check.warningRows).toMatchObject([
    { rowNumber: 4, rules: ['formula'], values: ['c@example.com', '=HYPERLINK("x")'] },
  ]);
});
