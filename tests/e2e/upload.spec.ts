import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAndStartUpload, mapIntoWebinarList } from './support/start-upload';
import { startHostProcess, type HostProcess } from './support/host-process';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';
import { answerConfirm } from './support/confirm';

let host: HostProcess;
let folder: string;
let csvPath: string;

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-upload-e2e-'));
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= 60; index += 1) {
    const phone = index % 20 === 0 ? 'call me' : `+1317555${String(index).padStart(4, '0')}`;
    lines.push(`lead${index}@example.com,Lead ${index},Acme,${phone},hot`);
  }
  csvPath = path.join(folder, 'leads.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('upload a CSV to the Sandbox org, watch it live, then inspect the rejected rows and the history', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Upload', exact: true }).click();
  await expect(page.getByLabel('Org')).toHaveValue('sandbox');
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(csvPath);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByLabel('CSV column for WorkPhone')).toHaveValue('Work Phone');
  await page.getByLabel('Contact id').selectOption({ label: 'Column Email (unique per contact)' });
  await page.getByLabel('Contacts per request (max 1,000)').fill('10');
  await checkAndStartUpload(page);

  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 45_000 });
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText(
    '60 rows read = 57 uploaded + 3 rejected + 0 failed + 0 skipped',
  );
  await expect(summary).toContainText('every row accounted for');
  // The Sandbox's demo org has no faults and room to spare: a clean run shows no trouble.
  const metrics = page.getByTestId('run-metrics');
  const metric = (label: string) =>
    metrics
      .locator('div')
      .filter({ has: page.locator('dt').getByText(label, { exact: true }) })
      .locator('dd');
  await expect(metric('429s')).toHaveText('0');
  await expect(metric('5xx')).toHaveText('0');
  await expect(metric('Network errors')).toHaveText('0');
  await expect(metric('Retries')).toHaveText('0');
  await expect(metric('In flight')).toHaveText(/^0 of \d+$/);
  await page.screenshot({ path: 'test-results/screens/upload-completed.png', fullPage: true });

  await summary.getByRole('link', { name: /Inspect and retry/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Failures');
  // With no failed rows, the Rejected tab opens first.
  await expect(page.getByRole('tab', { name: /Rejected/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const rows = page.getByRole('table', { name: 'Rows' });
  await expect(rows.getByRole('row')).toHaveCount(4);
  await expect(rows).toContainText('call me');
  await page.getByRole('button', { name: 'Export all 3 rejected rows' }).click();
  const wrote = page.getByRole('status').filter({ hasText: /^Wrote 3 rows to / });
  await expect(wrote).toBeVisible();
  const exportedPath = (await wrote.textContent())!.replace(/^Wrote 3 rows to /, '').slice(0, -1);
  const exported = readFileSync(exportedPath, 'utf8').trim().split(/\r?\n/);
  expect(exported).toHaveLength(4);
  for (const [line, lead] of exported.slice(1).map((text, index) => [text, (index + 1) * 20])) {
    expect(line).toContain(`lead${lead}@example.com`);
    expect(line).toContain('call me');
  }

  // Skip one rejected row: it moves to Skipped and the accounting still adds up.
  // One row is "1 row" in the button, the question and the answer.
  await page.getByLabel('Choose row 21').check();
  await page.getByRole('button', { name: 'Skip 1 chosen row…', exact: true }).click();
  expect(await answerConfirm(page, 'yes')).toMatch(/^Skip 1 row\?\n/);
  await expect(page.getByRole('status').filter({ hasText: 'Skipped 1 row.' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Skipped (1)' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Rejected (2)' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/failures-rejected.png', fullPage: true });

  // Correct row 41 in place: it is checked again and sent; History then shows 58 uploaded.
  await page.getByRole('button', { name: 'Correct row 41' }).click();
  const editor = page.getByRole('region', { name: 'Correct row 41' });
  await editor.getByLabel('Value of Work Phone').fill('+13175550041');
  await page.screenshot({ path: 'test-results/screens/failures-correct-row.png', fullPage: true });
  await editor.getByRole('button', { name: 'Save and send again' }).click();
  // The screen stays put while the corrected row is sent; History follows the run on its own.
  await expect(page.getByRole('status').filter({ hasText: 'Row 41' })).toBeVisible();
  await page.getByRole('link', { name: 'History', exact: true }).click();
  const runs = page.getByRole('table', { name: 'Runs' });
  await expect(runs.getByRole('row')).toHaveCount(2);
  // One cell of the only run, found by its column header (a timestamp can contain "58" too).
  const headers = await runs.getByRole('columnheader').allTextContents();
  const cell = (column: string) => {
    expect(headers).toContain(column);
    return runs.getByRole('row').nth(1).getByRole('cell').nth(headers.indexOf(column));
  };
  // History follows the run on its own (no Refresh button).
  await expect(cell('Rows').getByTestId('history-rows')).toHaveText(
    '60 read = 58 uploaded + 1 rejected + 0 failed + 1 skipped',
    { timeout: 30_000 },
  );
  await expect(cell('Rows')).toContainText('✓ holds');
  await expect(cell('State')).toHaveText('completed');
  await expect(cell('List · org')).toContainText('Webinar follow-up');

  // On the Sandbox's side: each uploaded lead under exactly one id, with its values; the skipped row 21
  // (lead20) and the still-rejected row 61 (lead60) not at all; row 41 (lead40) as corrected.
  const contacts = await storedContacts(await sandboxUrlFromOrgsScreen(page), 'Webinar follow-up');
  const expectedEmails = Array.from({ length: 60 }, (_, index) => index + 1)
    .filter((lead) => lead !== 20 && lead !== 60)
    .map((lead) => `lead${lead}@example.com`)
    .sort();
  expect(contacts.map((contact) => contact.data.Email).sort()).toEqual(expectedEmails);
  expect(new Set(contacts.map((contact) => contact.id)).size).toBe(58);
  const byEmail = new Map(contacts.map((contact) => [contact.data.Email, contact.data]));
  expect(byEmail.get('lead40@example.com')).toMatchObject({ WorkPhone: '+13175550041' });
  expect(byEmail.get('lead7@example.com')).toMatchObject({
    FirstName: 'Lead 7',
    Company: 'Acme',
    WorkPhone: '+13175550007',
    Score: 'hot',
  });
  await page.screenshot({ path: 'test-results/screens/history.png', fullPage: true });
});

test('a one-row file reads "1 row" on Upload and in the run, and the Sandbox stores that row', async ({
  page,
}) => {
  const onePath = path.join(folder, 'one.csv');
  writeFileSync(
    onePath,
    'Email,First Name,Company,Work Phone,Score\nsolo@example.com,Solo,Acme,+13175559999,hot\n',
  );
  await page.goto(host.url);
  await mapIntoWebinarList(page, onePath);
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  await expect(page.getByTestId('file-check')).toContainText('1 row in the file: 1 ready to send');
  await page.getByRole('button', { name: 'Start upload…' }).click();
  await page
    .getByRole('dialog', { name: /^Write to / })
    .getByRole('button', { name: 'Send 1 row' })
    .click();
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 30_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    '1 row read = 1 uploaded + 0 rejected + 0 failed + 0 skipped',
  );
  await expect(page.getByTestId('run-view')).not.toContainText(/\b1 rows\b/);

  const contacts = await storedContacts(await sandboxUrlFromOrgsScreen(page), 'Webinar follow-up');
  const solo = contacts.filter((contact) => contact.data.Email === 'solo@example.com');
  expect(solo).toHaveLength(1);
  expect(solo[0]?.data.WorkPhone).toBe('+13175559999');
});
