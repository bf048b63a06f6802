import { expect, type Page } from '@playwright/test';

/**
 * Starts the upload the way a consultant must: check the whole file, then confirm the org,
 * list and row counts in the confirmation. Returns once the run's view shows.
 */
export async function checkAndStartUpload(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  await expect(page.getByTestId('file-check')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Start upload…' }).click();
  await page
    .getByRole('dialog', { name: /^Write to / })
    .getByRole('button', { name: /^Send .* rows?$/ })
    .click();
  await expect(page.getByTestId('run-view')).toBeVisible();
}

/**
 * Opens Upload on the default org, picks the Sandbox's "Webinar follow-up" list and `csvPath`,
 * and reads the file (the columns auto-matched, the contact id left as proposed).
 */
export async function readIntoWebinarList(page: Page, csvPath: string): Promise<void> {
  await page.getByRole('link', { name: 'Upload', exact: true }).click();
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(csvPath);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
}

/**
 * `readIntoWebinarList`, then takes Email as the contact id, as a consultant maps a CRM export.
 */
export async function mapIntoWebinarList(page: Page, csvPath: string): Promise<void> {
  await readIntoWebinarList(page, csvPath);
  await page.getByLabel('Contact id').selectOption({ label: 'Column Email (unique per contact)' });
}
