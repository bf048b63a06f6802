import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHostProcess, type HostProcess } from './support/host-process';
import { answerConfirm } from './support/confirm';

let host: HostProcess;
let folder: string;

// A list as GET /api/v2/outbound/contactlists/{id} returns it, saved for offline preparation.
const schema = {
  id: 'list-1',
  name: 'Spring renewals',
  columnNames: ['CustomerId', 'FirstName', 'LastName', 'MobilePhone', 'Email'],
  phoneColumns: [{ columnName: 'MobilePhone', type: 'cell' }],
  emailColumns: [{ columnName: 'Email' }],
  columnDataTypeSpecifications: [],
};

const csv = [
  'Customer Id,First Name,Last Name,Mobile,E-mail',
  'C-1,Ada,Lovelace,+1 415 555 2671,ada@example.com',
  'C-2,Alan,Turing,555-01,alan@example.com',
  'C-3,Grace,Hopper,+14155552672,grace@example.com',
  // sent, with two warnings: no phone or email to reach, and a cell Excel would run
  'C-4,Bob,=1+2,,',
].join('\r\n');

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-prepare-e2e-'));
  writeFileSync(path.join(folder, 'list.schema.json'), JSON.stringify(schema));
  writeFileSync(path.join(folder, 'export.csv'), csv);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('prepare a CSV offline: auto-match, preview with problems, clean and rejects files', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Prepare CSV', exact: true }).click();
  await page.getByLabel('CSV file').fill(path.join(folder, 'export.csv'));
  await page.getByLabel(/Contact list schema/).fill(path.join(folder, 'list.schema.json'));
  await page.getByRole('button', { name: 'Read file and match columns' }).click();

  await expect(page.getByTestId('file-summary')).toContainText('5 columns');
  await expect(page.getByTestId('file-summary')).toContainText('comma-separated');
  await expect(page.getByLabel('CSV column for FirstName')).toHaveValue('First Name');
  await expect(page.getByLabel('CSV column for MobilePhone')).toHaveValue('Mobile');

  // The preview shows row 3's bad phone number on its cell, with a readable message.
  const preview = page.getByRole('table', { name: 'Preview' });
  await expect(preview).toContainText('+14155552671');
  await expect(preview.locator('.problem', { hasText: /555-01/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/prepare-mapped.png', fullPage: true });

  // Save the mapping as a template, change it, and get it back by loading the template.
  await page.getByLabel('Template name').fill('CRM export');
  await page.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByText('Saved as “CRM export”.')).toBeVisible();
  await page.getByLabel('CSV column for FirstName').selectOption('');
  await page.getByLabel('Mapping template').selectOption('CRM export');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByLabel('CSV column for FirstName')).toHaveValue('First Name');

  // The CRM id as contact id: Bob's row has no phone to hash, and is sent with a warning
  await page.getByLabel('Contact id').selectOption('column:CustomerId');
  await page.getByLabel('Default phone country').selectOption('US');
  await page.getByRole('button', { name: 'Prepare', exact: true }).click();
  const summary = page.getByTestId('prepare-summary');
  await expect(summary).toContainText('4 rows read');
  await expect(summary).toContainText('3 clean, 1 rejected');
  await expect(summary).toContainText('1 of the clean rows has a warning');
  const byRule = summary.getByRole('table', { name: 'Prepared rows by rule' });
  await expect(
    byRule.getByRole('row', { name: /Phone number not valid 1 Rejects file/ }),
  ).toBeVisible();
  await expect(
    byRule.getByRole('row', { name: /No phone or email .* 1 Clean file, with a warning/ }),
  ).toBeVisible();
  await expect(
    byRule.getByRole('row', { name: /spreadsheet formula .* 1 Clean file, with a warning/ }),
  ).toBeVisible();
  await expect(summary.getByRole('list', { name: 'Clean rows with a warning' })).toContainText(
    /Row 5: no phone number or email .*; LastName starts like a spreadsheet formula/,
  );
  await page.screenshot({ path: 'test-results/screens/prepare-done.png', fullPage: true });

  // Preparing again asks before replacing the files written the first time.
  await page.getByRole('button', { name: 'Prepare', exact: true }).click();
  expect(await answerConfirm(page, 'no')).toContain('already exist');

  const clean = readFileSync(path.join(folder, 'export.clean.csv'), 'utf8');
  expect(clean.split(/\r?\n/)[0]).toBe('CustomerId,FirstName,LastName,MobilePhone,Email');
  expect(clean).toContain('+14155552671');
  // the warned row is in the clean file, as it will be sent
  expect(clean.split(/\r?\n/)).toContain('C-4,Bob,=1+2,,');
  expect(existsSync(path.join(folder, 'export.rejects.csv'))).toBe(true);
  expect(readFileSync(path.join(folder, 'export.rejects.csv'), 'utf8')).toContain('Alan');
});

test('a preparation of a large file can be cancelled: it says so, not as an error, and writes neither file', async ({
  page,
}) => {
  // valid numbers (New York, 212-2xx-xxxx), each checked against its country: seconds of work
  const rows = ['Customer Id,First Name,Last Name,Mobile,E-mail'];
  for (let index = 0; index < 300_000; index += 1)
    rows.push(`C-${index},Ann,Lee ${index},+1212${2_000_000 + index},a${index}@example.com`);
  writeFileSync(path.join(folder, 'big.csv'), `${rows.join('\n')}\n`);
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Prepare CSV', exact: true }).click();
  await page.getByLabel('CSV file').fill(path.join(folder, 'big.csv'));
  await page.getByLabel(/Contact list schema/).fill(path.join(folder, 'list.schema.json'));
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByLabel('CSV column for FirstName')).toHaveValue('First Name');
  // The CRM id as contact id: Bob's row has no phone to hash, and is sent with a warning
  await page.getByLabel('Contact id').selectOption('column:CustomerId');
  await page.getByLabel('Default phone country').selectOption('US');
  await page.getByRole('button', { name: 'Prepare', exact: true }).click();
  // under way in the worker
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();

  await expect(
    page.getByText('The preparation was cancelled. No clean or rejects file was written.'),
  ).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('prepare-summary')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Prepare', exact: true })).toBeEnabled();
  expect(existsSync(path.join(folder, 'big.clean.csv'))).toBe(false);
  expect(existsSync(path.join(folder, 'big.rejects.csv'))).toBe(false);
});

test('a missing CSV file gets a clear error naming it', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Prepare CSV', exact: true }).click();
  await page.getByLabel('CSV file').fill(path.join(folder, 'nope.csv'));
  await page.getByLabel(/Contact list schema/).fill(path.join(folder, 'list.schema.json'));
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByRole('alert')).toContainText('nope.csv');
});

test('prepare against a live list: the columns come from the Sandbox org', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Prepare CSV', exact: true }).click();
  await page.getByLabel('CSV file').fill(path.join(folder, 'export.csv'));
  await page.getByLabel('a contact list in an org').check();
  await page.getByLabel('Contact list', { exact: true }).selectOption({ label: 'Spring renewals' });
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(
    page.getByRole('heading', { name: /Map columns onto “Spring renewals”/ }),
  ).toBeVisible();
  await expect(page.getByLabel('CSV column for MobilePhone')).toHaveValue('Mobile');
});
