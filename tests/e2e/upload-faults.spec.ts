import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAndStartUpload } from './support/start-upload';
import { startHostProcess, type HostProcess } from './support/host-process';

// The Sandbox org with faults on POST contacts only (503s, and contacts stored while the
// response is dropped): the run shows the trouble live and still stores every row once.
const faults = {
  faults: {
    status503: 0.3,
    commitThenDrop: 0.1,
    endpoints: ['POST /api/v2/outbound/contactlists/{id}/contacts'],
  },
};

let host: HostProcess;
let folder: string;
let csvPath: string;

test.beforeAll(async () => {
  host = await startHostProcess(['--sandbox-overrides', JSON.stringify(faults)]);
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-faults-e2e-'));
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= 100; index += 1) {
    lines.push(
      `retry${index}@example.com,Lead ${index},Acme,+1317556${String(index).padStart(4, '0')},warm`,
    );
  }
  csvPath = path.join(folder, 'leads.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a run against a failing API shows the retries live and still uploads every row once', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Upload' }).click();
  await page.getByLabel('Contact list').selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(csvPath);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await page.getByLabel('Contact id').selectOption({ label: 'Column Email (unique per contact)' });
  await page.getByLabel('Batch size').fill('10');
  await checkAndStartUpload(page);

  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 50_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    '100 rows read = 100 uploaded + 0 rejected + 0 failed + 0 skipped',
  );
  await expect(page.getByTestId('run-summary')).toContainText('every row accounted for');
  const incidents = page.getByRole('region', { name: 'Recent batch events' });
  await expect(incidents).toContainText('will retry');
  await page.screenshot({ path: 'test-results/screens/upload-with-faults.png', fullPage: true });
});
