import { expect, test } from '@playwright/test';
import { checkAndStartUpload } from './support/start-upload';
import { startHostProcess, type HostProcess } from './support/host-process';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';

let host: HostProcess;
test.beforeAll(async () => {
  host = await startHostProcess();
});
test.afterAll(async () => {
  await host?.stop();
});

test('first launch, no file and no credentials: the sample file uploads to the Sandbox org', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Upload', exact: true }).click();
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByRole('button', { name: 'Use a sample file' }).click();
  await expect(page.getByLabel('CSV file')).toHaveValue(/samples[\\/]webinar-leads\.csv$/);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByLabel('CSV column for Email')).toHaveValue('E-mail');
  await expect(page.getByLabel('CSV column for WorkPhone')).toHaveValue('Business Phone');
  // The id auto-match chose is made from the phone column alone, and the picker says so: two
  // people sharing a number are one contact.
  await expect(page.getByLabel('Contact id').locator('option:checked')).toHaveText(
    'Stable hash of WorkPhone',
  );
  await checkAndStartUpload(page);
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 45_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    '250 rows read = 240 uploaded + 10 rejected + 0 failed + 0 skipped',
  );
  // The 240 rows went in one request of up to 1,000: "1 request", not "1 requests".
  await expect(page.getByTestId('run-summary')).toContainText('1 request · 0 throttled (429)');
  // The Sandbox holds exactly the 240 uploaded contacts, one id each, each with an email.
  const contacts = await storedContacts(await sandboxUrlFromOrgsScreen(page), 'Webinar follow-up');
  expect(contacts).toHaveLength(240);
  expect(new Set(contacts.map((contact) => contact.id)).size).toBe(240);
  expect(new Set(contacts.map((contact) => contact.data.Email)).size).toBe(240);
});
