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
    .getByRole('button', { name: /^Send .* rows$/ })
    .click();
  await expect(page.getByTestId('run-view')).toBeVisible();
}
