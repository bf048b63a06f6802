import { expect, test, type Page } from '@playwright/test';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { tempFolder } from '../support/temp-folder';
import { sandboxContacts, webinarListId } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { checkAndStartUpload } from './support/start-upload';

// A reload (or a renderer that restarts) keeps the Upload form: org and list, the file, the
// mapping as the consultant made it, and the run options (docs/ARCHITECTURE.md, "The Upload form
// across a reload").

const ROWS = 23;
const HEADER = 'Email,First Name,Nickname,Company,Work Phone,Score';
const line = (prefix: string, index: number) =>
  `${prefix}${index}@example.com,Lead ${index},Nick ${index},Acme,+1317556${String(index).padStart(4, '0')},warm`;

let host: HostProcess;
let folder: string;

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = tempFolder('sluice-reload-e2e-');
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

function writeCsv(name: string, prefix: string, header = HEADER, row = line): string {
  const file = path.join(folder, name);
  const lines = [header];
  for (let index = 1; index <= ROWS; index += 1) lines.push(row(prefix, index));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Fills the form as a consultant would, with choices the auto-match would not make: FirstName
 * from the Nickname column, Email as the contact id, 25 % headroom, 7 contacts per request, and
 * re-queueing contacts already in the list.
 */
async function fillForm(page: Page, csvPath: string): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Upload', exact: true }).click();
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(csvPath);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByLabel('CSV column for FirstName')).toHaveValue('First Name');
  await page.getByLabel('CSV column for FirstName').selectOption('Nickname');
  await page.getByLabel('Contact id').selectOption({ label: 'Column Email (unique per contact)' });
  await page.getByLabel('Headroom for the customer’s own traffic (%)').fill('25');
  await page.getByLabel('Contacts per request (max 1,000)').fill('7');
  await page.getByLabel(/^Re-queue contacts already in the list/).check();
}

async function expectFormRestored(page: Page, csvPath: string, listId: string): Promise<void> {
  await expect(page.getByLabel('Org')).toHaveValue('sandbox');
  await expect(page.getByLabel('Contact list', { exact: true })).toHaveValue(listId);
  await expect(page.getByLabel('CSV file')).toHaveValue(csvPath);
  await expect(page.getByLabel('CSV column for FirstName')).toHaveValue('Nickname');
  await expect(page.getByLabel('CSV column for Email')).toHaveValue('Email');
  await expect(page.getByLabel('CSV column for WorkPhone')).toHaveValue('Work Phone');
  await expect(page.getByLabel('Contact id')).toHaveValue('column:Email');
  await expect(page.getByLabel('Headroom for the customer’s own traffic (%)')).toHaveValue('25');
  await expect(page.getByLabel('Contacts per request (max 1,000)')).toHaveValue('7');
  await expect(page.getByLabel(/^Re-queue contacts already in the list/)).toBeChecked();
  // The restored mapping was checked against the list and the file: its preview is shown.
  await expect(page.getByRole('table', { name: 'Column mapping' })).toBeVisible();
}

test('a reload keeps every field of the Upload form; the upload then stores each row once, with the mapped values', async ({
  page,
}) => {
  const listId = await webinarListId(host);
  const csvPath = writeCsv('reload.csv', 'reload-');
  await fillForm(page, csvPath);

  await page.reload();
  await expectFormRestored(page, csvPath, listId);
  await expect(page.getByTestId('file-changed')).toHaveCount(0);
  await expect(page.getByTestId('restore-problem')).toHaveCount(0);

  // The restored form is kept in turn: another reload brings it back again.
  await page.reload();
  await expectFormRestored(page, csvPath, listId);

  await checkAndStartUpload(page);
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 45_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    `${ROWS} rows read = ${ROWS} uploaded + 0 rejected`,
  );

  // Starting cleared nothing: after another reload the run's view and the form are both there.
  await page.reload();
  await expect(page.getByTestId('run-state')).toHaveText('completed');
  await expectFormRestored(page, csvPath, listId);

  // The Sandbox stored each row once, with FirstName from the Nickname column.
  const stored = (await sandboxContacts(host, listId)).filter((contact) =>
    contact.data.Email?.startsWith('reload-'),
  );
  expect(stored).toHaveLength(ROWS);
  expect(new Set(stored.map((contact) => contact.id)).size).toBe(ROWS);
  const byEmail = new Map(stored.map((contact) => [contact.data.Email, contact.data]));
  for (let index = 1; index <= ROWS; index += 1) {
    const data = byEmail.get(`reload-${index}@example.com`);
    expect(data?.FirstName).toBe(`Nick ${index}`);
    expect(data?.WorkPhone).toBe(`+1317556${String(index).padStart(4, '0')}`);
  }

  // "New upload" starts empty, and a reload then finds nothing to restore.
  await page.getByRole('button', { name: 'New upload' }).first().click();
  await page.reload();
  await expect(page.getByLabel('CSV file')).toHaveValue('');
  await expect(page.getByLabel('Contacts per request (max 1,000)')).toHaveCount(0);

  // A file that cannot be read on a plain Read is that read's error, not a restore's.
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(path.join(folder, 'missing.csv'));
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByRole('alert')).toContainText('missing.csv');
  await expect(page.getByTestId('restore-problem')).toHaveCount(0);
});

test('a file that changed or vanished since the reload is named, and the rest of the form is kept', async ({
  page,
}) => {
  const listId = await webinarListId(host);
  const csvPath = writeCsv('changing.csv', 'changing-');
  await fillForm(page, csvPath);

  // The file loses its Nickname column: the mapping comes back as it was, and says what broke.
  writeCsv(
    'changing.csv',
    'changing-',
    'Email,First Name,Company,Work Phone,Score',
    (prefix, index) =>
      `${prefix}${index}@example.com,Lead ${index},Acme,+1317557${String(index).padStart(4, '0')},warm`,
  );
  await page.reload();
  await expect(page.getByTestId('file-changed')).toContainText(
    'The file changed since it was read before the reload (its columns changed)',
  );
  await expect(page.getByTestId('file-changed')).toContainText('“Nickname”');
  await expect(page.getByLabel('Contacts per request (max 1,000)')).toHaveValue('7');
  await expect(page.getByLabel('Contact id')).toHaveValue('column:Email');

  // The file vanishes: the reload says so and keeps the org, list, path and options.
  rmSync(csvPath);
  await page.reload();
  await expect(page.getByTestId('restore-problem')).toContainText(
    'The file chosen before the reload could not be read again',
  );
  await expect(page.getByLabel('Contact list', { exact: true })).toHaveValue(listId);
  await expect(page.getByLabel('CSV file')).toHaveValue(csvPath);

  // Put back (with its Nickname column), it is read again with the kept mapping and options.
  writeCsv('changing.csv', 'changing-');
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByLabel('CSV column for FirstName')).toHaveValue('Nickname');
  await expect(page.getByLabel('Contacts per request (max 1,000)')).toHaveValue('7');
  await expect(page.getByTestId('restore-problem')).toHaveCount(0);
});

test('a kept list that no longer exists is named; a kept form of another shape is ignored', async ({
  page,
}) => {
  const csvPath = writeCsv('gone.csv', 'gone-');
  await fillForm(page, csvPath);
  // The org, then the list, is removed while the window is open (its id no longer answers).
  const forget = (field: 'orgId' | 'listId') =>
    page.evaluate((key) => {
      const form = JSON.parse(sessionStorage.getItem('sluice-upload-form') ?? '{}') as {
        target: Record<string, string>;
      };
      form.target[key] = `deleted-${key}`;
      sessionStorage.setItem('sluice-upload-form', JSON.stringify(form));
    }, field);
  await forget('orgId');
  await page.reload();
  await expect(page.getByTestId('target-gone')).toHaveText(
    'The org “Sandbox” chosen for this upload is no longer set up here: choose an org and a contact list (the file path and the run options are kept).',
  );
  await expect(page.getByLabel('CSV file')).toHaveValue(csvPath);
  await expect(page.getByLabel('Contact list', { exact: true })).toHaveValue('');

  await fillForm(page, csvPath);
  await forget('listId');
  await page.reload();
  await expect(page.getByTestId('target-gone')).toHaveText(
    'The contact list “Webinar follow-up” chosen for this upload is no longer in “Sandbox”: choose a list (the file path and the run options are kept).',
  );
  await expect(page.getByLabel('CSV file')).toHaveValue(csvPath);
  await expect(page.getByRole('table', { name: 'Column mapping' })).toHaveCount(0);

  // Choosing a list clears the notice; the kept path is read for it with a fresh auto-match.
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await expect(page.getByTestId('target-gone')).toHaveCount(0);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByLabel('CSV column for FirstName')).toHaveValue('First Name');

  // A form kept by another build (another shape) is dropped: the screen starts empty.
  await page.evaluate(() =>
    sessionStorage.setItem('sluice-upload-form', JSON.stringify({ path: '/x.csv', org: 1 })),
  );
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Upload', level: 1 })).toBeVisible();
  await expect(page.getByLabel('CSV file')).toHaveValue('');
  await expect(page.getByTestId('target-gone')).toHaveCount(0);
});

test('a workbook comes back on the sheet chosen, with its mapping', async ({ page }) => {
  const listId = await webinarListId(host);
  const workbook = new ExcelJS.Workbook();
  const header = ['Email', 'First Name', 'Nickname', 'Company', 'Work Phone', 'Score'];
  const notes = workbook.addWorksheet('Notes');
  notes.addRow(header);
  notes.addRow(['note@example.com', 'Not me', 'No', 'Acme', '+13175559999', 'hot']);
  const leads = workbook.addWorksheet('Leads');
  leads.addRow(header);
  for (let index = 1; index <= 5; index += 1) {
    leads.addRow([
      `book${index}@example.com`,
      `Lead ${index}`,
      `Nick ${index}`,
      'Acme',
      `+1317558000${index}`,
      'hot',
    ]);
  }
  const workbookPath = path.join(folder, 'leads.xlsx');
  await workbook.xlsx.writeFile(workbookPath);

  await fillForm(page, workbookPath);
  await page.getByLabel('Sheet').selectOption('Leads');
  await expect(page.getByTestId('file-summary')).toContainText('sheet “Leads” of 2 sheets');
  // Another sheet is matched afresh: the mapping is made again for it.
  await page.getByLabel('CSV column for FirstName').selectOption('Nickname');
  await page.getByLabel('Contact id').selectOption({ label: 'Column Email (unique per contact)' });

  await page.reload();
  await expect(page.getByLabel('Sheet')).toHaveValue('Leads');
  await expect(page.getByTestId('file-summary')).toContainText('sheet “Leads” of 2 sheets');
  await expectFormRestored(page, workbookPath, listId);
  await expect(page.getByTestId('file-changed')).toHaveCount(0);
});

test('moving between the sheets of a workbook keeps the mapping made for each, across a reload too; the upload uses the one shown', async ({
  page,
}) => {
  const listId = await webinarListId(host);
  const workbook = new ExcelJS.Workbook();
  const header = ['Email', 'First Name', 'Nickname', 'Company', 'Work Phone', 'Score'];
  for (const [name, prefix, digit] of [
    ['Notes', 'sheetnotes', '1'],
    ['Leads', 'sheetleads', '2'],
  ] as const) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(header);
    for (let index = 1; index <= 4; index += 1) {
      sheet.addRow([
        `${prefix}${index}@example.com`,
        `Lead ${index}`,
        `Nick ${index}`,
        `Firm ${index}`,
        `+131755${digit}000${index}`,
        'hot',
      ]);
    }
  }
  const workbookPath = path.join(folder, 'two-sheets.xlsx');
  await workbook.xlsx.writeFile(workbookPath);
  const firstName = page.getByLabel('CSV column for FirstName');
  const contactId = page.getByLabel('Contact id');
  const summary = page.getByTestId('file-summary');

  // Notes (read first) is mapped by hand: FirstName from Nickname, Email as the contact id.
  await fillForm(page, workbookPath);
  await expect(summary).toContainText('sheet “Notes” of 2 sheets');
  // Leads was never visited: it gets the auto-match; it is then mapped otherwise.
  await page.getByLabel('Sheet').selectOption('Leads');
  await expect(summary).toContainText('sheet “Leads” of 2 sheets');
  await expect(firstName).toHaveValue('First Name');
  await firstName.selectOption('Company');

  // Back on Notes: its own mapping, not the auto-match, nor Leads'.
  await page.getByLabel('Sheet').selectOption('Notes');
  await expect(summary).toContainText('sheet “Notes” of 2 sheets');
  await expect(firstName).toHaveValue('Nickname');
  await expect(contactId).toHaveValue('column:Email');
  // And Leads again: its mapping as it was left.
  await page.getByLabel('Sheet').selectOption('Leads');
  await expect(summary).toContainText('sheet “Leads” of 2 sheets');
  await expect(firstName).toHaveValue('Company');

  // A reload brings back the sheet shown with its mapping, and the other sheet's too.
  await page.reload();
  await expect(page.getByLabel('Sheet')).toHaveValue('Leads');
  await expect(firstName).toHaveValue('Company');
  await page.getByLabel('Sheet').selectOption('Notes');
  await expect(summary).toContainText('sheet “Notes” of 2 sheets');
  await expect(firstName).toHaveValue('Nickname');
  await expect(contactId).toHaveValue('column:Email');

  // Uploaded, Notes' rows are stored once each with FirstName from its Nickname column.
  await checkAndStartUpload(page);
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 45_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    '4 rows read = 4 uploaded + 0 rejected',
  );
  const stored = (await sandboxContacts(host, listId)).filter((contact) =>
    contact.data.Email?.startsWith('sheet'),
  );
  expect(stored.map((contact) => contact.data.Email).sort()).toEqual(
    [1, 2, 3, 4].map((index) => `sheetnotes${index}@example.com`),
  );
  for (const contact of stored) {
    expect(contact.data.FirstName).toBe(
      contact.data.Email?.replace(/^sheetnotes(\d)@.*$/, 'Nick $1'),
    );
  }
});
