import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../support/temp-folder';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';
import { callHost, sandboxContacts, startWebinarRun } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { hiddenUploadLimit, sandboxOverridesArgs } from './support/hidden-upload-limit';
import { answerConfirm } from './support/confirm';

// A run stopped mid-way (the host process is told to stop while it uploads, and pauses it) is
// offered for resume at the next launch, with its accounting, and resuming sends only what was
// not acknowledged.
const slow = hiddenUploadLimit({ uploads: 2, windowMs: 1000 });
const ROWS = 3000;

let first: HostProcess | undefined;
let second: HostProcess | undefined;
let dataFolder: string;
let folder: string;

test.beforeAll(() => {
  dataFolder = tempFolder('sluice-interrupted-data-');
  folder = tempFolder('sluice-interrupted-e2e-');
});
test.afterAll(async () => {
  await first?.stop();
  await second?.stop();
  rmSync(dataFolder, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

test('an interrupted run is offered at launch and resumes with only the rows not acknowledged', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const csvPath = writeContactsCsv(path.join(folder, 'export.csv'), {
    rows: ROWS,
    idPrefix: 'again',
    phone: (index) => usPhone(7_000_000, index),
  });
  const args = ['--data-dir', dataFolder, ...sandboxOverridesArgs(slow)];

  // First launch: start a run (30 requests at about 2 a second) and stop the host mid-way.
  first = await startHostProcess(args);
  const { runId, listId } = await startWebinarRun(first, csvPath, 100);
  await expect
    .poll(
      async () =>
        (await sandboxContacts(first!, listId)).filter((c) => c.id.startsWith('again')).length,
      {
        timeout: 30_000,
      },
    )
    .toBeGreaterThanOrEqual(500);
  await first.stop();
  first = undefined;

  // Next launch (same data folder, a fresh Sandbox org): the run is offered for resume.
  second = await startHostProcess(args);
  await page.goto(second.url);
  const banner = page.getByRole('region', { name: 'Interrupted runs' });
  await expect(banner).toContainText('A run did not finish');
  await expect(banner).toContainText('Webinar follow-up');
  await page.screenshot({ path: 'test-results/run-interrupted/01-offered.png', fullPage: true });
  const before = (await callHost(second, 'runs:get', { runId })).summary;
  expect(before.uploaded).toBeGreaterThan(0);
  expect(before.uploaded).toBeLessThan(ROWS);
  // It stopped seconds ago, so Sluice asks whether the command line might still be running it.
  await banner.getByRole('button', { name: 'Resume' }).click();
  expect(await answerConfirm(page, 'yes')).toContain('still writing its journal');

  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 90_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    `${ROWS.toLocaleString('en-US')} rows read = ${ROWS.toLocaleString('en-US')} uploaded`,
  );
  await expect(banner).toHaveCount(0);
  await page.screenshot({ path: 'test-results/run-interrupted/02-resumed.png', fullPage: true });

  // The new Sandbox received only the rows the first launch had not seen acknowledged.
  const resent = (await sandboxContacts(second, listId)).filter((c) => c.id.startsWith('again'));
  expect(resent.length).toBe(ROWS - before.uploaded);
  expect(new Set(resent.map((c) => c.id)).size).toBe(resent.length);
});
