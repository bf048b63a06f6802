import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAndStartUpload } from './support/start-upload';
import { startHostProcess, type HostProcess } from './support/host-process';

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
  await page.getByRole('link', { name: 'Upload' }).click();
  await expect(page.getByLabel('Org')).toHaveValue('sandbox');
  await page.getByLabel('Contact list').selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(csvPath);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await expect(page.getByLabel('CSV column for WorkPhone')).toHaveValue('Work Phone');
  await page.getByLabel('Contact id').selectOption({ label: 'Column Email (unique per contact)' });
  await page.getByLabel('Batch size').fill('10');
  await checkAndStartUpload(page);

  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 45_000 });
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText(
    '60 rows read = 57 uploaded + 3 rejected + 0 failed + 0 skipped',
  );
  await expect(summary).toContainText('every row accounted for');
  await expect(page.getByTestId('run-metrics')).toBeVisible();
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
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Wrote 3 rows' })).toBeVisible();

  // Skip one rejected row: it moves to Skipped and the accounting still adds up.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByLabel('Choose row 21').check();
  await page.getByRole('button', { name: /Skip 1 chosen rows/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Skipped 1 rows.' })).toBeVisible();
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
  await page.getByRole('link', { name: 'History' }).click();
  const runs = page.getByRole('table', { name: 'Runs' });
  await expect(runs.getByRole('row').nth(1)).toContainText('58', { timeout: 30_000 });
  await expect(runs).toContainText('completed');
  await expect(runs).toContainText('Webinar follow-up');
  await expect(runs).toContainText('✓ holds');
  await page.screenshot({ path: 'test-results/screens/history.png', fullPage: true });
});
