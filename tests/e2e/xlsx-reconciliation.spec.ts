import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { checkAndStartUpload } from './support/start-upload';
import { startHostProcess, type HostProcess } from './support/host-process';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';

// A consultant uploads the second sheet of a workbook (chosen in the sheet picker), then exports
// the run's reconciliation from its view and finds every stored contact's id in it.
let host: HostProcess;
let folder: string;
let workbookPath: string;

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-xlsx-e2e-'));
  const workbook = new ExcelJS.Workbook();
  const header = ['Email', 'First Name', 'Company', 'Work Phone', 'Score'];
  const notes = workbook.addWorksheet('Notes');
  notes.addRow(header);
  notes.addRow(['note@example.com', 'Not me', 'Acme', '+13175559999', 'hot']);
  const leads = workbook.addWorksheet('Leads');
  leads.addRow(header);
  for (let index = 1; index <= 30; index += 1) {
    const phone = index % 10 === 0 ? 'call me' : `+1317555${String(index).padStart(4, '0')}`;
    leads.addRow([`sheet${index}@example.com`, `Lead ${index}`, 'Acme', phone, 'hot']);
  }
  workbookPath = path.join(folder, 'leads.xlsx');
  await workbook.xlsx.writeFile(workbookPath);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('upload the chosen sheet of a workbook, then export the run’s reconciliation', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Upload', exact: true }).click();
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(workbookPath);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  const sheet = page.getByLabel('Sheet');
  await expect(sheet).toHaveValue('Notes');
  // A workbook's summary names the sheet read, not a text encoding and delimiter it has not.
  const summary = page.getByTestId('file-summary');
  await expect(summary).toContainText('sheet “Notes” of 2 sheets in the workbook');
  await expect(summary).not.toContainText('comma-separated');
  await sheet.selectOption('Leads');
  await expect(sheet).toHaveValue('Leads');
  await expect(summary).toContainText('5 columns · ');
  await expect(summary).toContainText('sheet “Leads” of 2 sheets in the workbook');
  await expect(page.getByLabel('CSV column for WorkPhone')).toHaveValue('Work Phone');
  await page.getByLabel('Contact id').selectOption({ label: 'Column Email (unique per contact)' });
  await checkAndStartUpload(page);
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 45_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    '30 rows read = 27 uploaded + 3 rejected + 0 failed + 0 skipped',
  );

  const out = path.join(folder, 'reconciliation.csv');
  await page.getByLabel(/Export reconciliation/).fill(out);
  await page.getByRole('button', { name: 'Export reconciliation' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Wrote 30 rows to / })).toBeVisible();

  const lines = readFileSync(out, 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe('Source row,CRM id,Genesys contact id,Outcome,Reason,Contact id from');
  const uploaded = lines
    .slice(1)
    .map((line) => line.split(','))
    .filter((cells) => cells[3] === 'uploaded')
    .map((cells) => cells[2])
    .sort();
  const stored = await storedContacts(await sandboxUrlFromOrgsScreen(page), 'Webinar follow-up');
  expect(uploaded).toEqual(stored.map((contact) => contact.id).sort());
  expect(stored.map((contact) => contact.id)).not.toContain('note@example.com');
});
