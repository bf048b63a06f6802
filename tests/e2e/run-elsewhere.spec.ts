import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../support/temp-folder';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';
import { callHost, sandboxContacts, startWebinarRun } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { hiddenUploadLimit, sandboxOverridesArgs } from './support/hidden-upload-limit';

// A run another process is running on the same data folder (as the command line does while the
// app is open) shows in History and the sidebar as live, badged "running elsewhere", with no
// Pause button (this app cannot pause another process), and settles when that process ends it.
// The other process here is a second host on the same data folder: to the app it is the same
// as the CLI (a run folder whose journal moves, written by someone else).
const slow = hiddenUploadLimit({ uploads: 2, windowMs: 1000 });
const ROWS = 3000;

let app: HostProcess | undefined;
let elsewhere: HostProcess | undefined;
let folder: string;

test.beforeAll(() => {
  folder = tempFolder('sluice-elsewhere-e2e-');
});
test.afterAll(async () => {
  await elsewhere?.stop();
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a run going on in another process is shown live, badged, without pause, until it ends', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const csvPath = writeContactsCsv(path.join(folder, 'cli-export.csv'), {
    rows: ROWS,
    idPrefix: 'else',
    phone: (index) => usPhone(8_000_000, index),
  });

  app = await startHostProcess();
  elsewhere = await startHostProcess(['--data-dir', app.dataFolder, ...sandboxOverridesArgs(slow)]);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'History', exact: true }).click();

  const { runId, listId } = await startWebinarRun(elsewhere, csvPath, 100);

  // History finds it on its own (no Refresh), badged, and offers no Pause.
  const row = page.getByRole('row').filter({ has: page.locator(`[title="${runId}"]`) });
  await expect(row).toContainText('running elsewhere', { timeout: 15_000 });
  await expect(row.getByRole('button', { name: /Pause/ })).toHaveCount(0);
  const sidebar = page.getByRole('region', { name: 'Live runs' });
  await expect(sidebar).toContainText('running elsewhere');
  await expect(sidebar).toContainText('Webinar follow-up');
  await page.screenshot({ path: 'test-results/run-elsewhere/01-history.png', fullPage: true });

  // Its view says where it runs and has no controls; its progress moves.
  await row.getByRole('link', { name: `Open run ${runId}` }).click();
  const notice = page.getByTestId('run-elsewhere');
  await expect(notice).toContainText('this app cannot stop another process');
  await expect(page.getByRole('button', { name: /Pause/ })).toHaveCount(0);
  await expect
    .poll(
      async () =>
        Number(
          (await notice.textContent())?.match(/([\d,]+) rows uploaded/)?.[1]?.replace(/,/g, ''),
        ),
      {
        timeout: 30_000,
      },
    )
    .toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/run-elsewhere/02-run-view.png', fullPage: true });

  // When the other process ends the run, the app shows it ended, with no badge left.
  await expect
    .poll(async () => (await callHost(elsewhere!, 'runs:get', { runId })).summary.state, {
      timeout: 60_000,
    })
    .toBe('completed');
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await expect(row).toContainText('completed', { timeout: 15_000 });
  await expect(row).not.toContainText('running elsewhere');
  await expect(sidebar).toHaveCount(0, { timeout: 15_000 });
  const stored = (await sandboxContacts(elsewhere, listId)).filter((c) => c.id.startsWith('else'));
  expect(stored.length).toBe(ROWS);
  await page.screenshot({ path: 'test-results/run-elsewhere/03-ended.png', fullPage: true });
});
