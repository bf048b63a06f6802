import { expect, test } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHostProcess, type HostProcess } from './support/host-process';
import { mapIntoWebinarList } from './support/start-upload';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';

// The whole-file check of a large file can be cancelled from the Upload screen: the check stops,
// the screen says so (not as an error), nothing is reported as checked, the temporary copy of
// the rows is gone, and the file can be checked again.
const ROWS = 100_000;

let host: HostProcess;
let temporary: string;
let tmpdirBefore: string | undefined;
let csvPath: string;

test.beforeAll(async () => {
  // A system temporary folder of this spec's own (the host inherits it), so the check folders
  // found there are this spec's checks, not another test's.
  temporary = mkdtempSync(path.join(os.tmpdir(), 'sluice-cancel-check-e2e-'));
  tmpdirBefore = process.env.TMPDIR;
  process.env.TMPDIR = temporary;
  host = await startHostProcess();
  csvPath = writeContactsCsv(path.join(temporary, 'big.csv'), {
    rows: ROWS,
    idPrefix: 'cancel',
    phone: (index) => usPhone(1_000_000, index),
  });
});
test.afterAll(async () => {
  await host?.stop();
  if (tmpdirBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpdirBefore;
  rmSync(temporary, { recursive: true, force: true });
});

const checkFolders = () =>
  readdirSync(temporary).filter((name) => name.startsWith('sluice-check-'));

test('a whole-file check of a large file can be cancelled, and run again', async ({ page }) => {
  await page.goto(host.url);
  await mapIntoWebinarList(page, csvPath);
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  // The check is under way in the worker: rows are counting.
  await expect(page.getByRole('button', { name: /^Checking… [1-9][\d,]* rows$/ })).toBeVisible({
    timeout: 30_000,
  });
  expect(checkFolders()).toHaveLength(1);

  await page.getByRole('button', { name: 'Cancel check' }).click();

  await expect(page.getByText('The check was cancelled before it finished.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check the whole file' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel check' })).toHaveCount(0);
  await expect(page.getByTestId('file-check')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start upload…' })).toBeDisabled();
  expect(checkFolders()).toEqual([]);

  // Checking again runs to the end.
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  await expect(page.getByTestId('file-check')).toContainText(
    `${ROWS.toLocaleString('en-US')} rows in the file`,
    { timeout: 60_000 },
  );
  await expect(page.getByText('The check was cancelled before it finished.')).toHaveCount(0);
  expect(checkFolders()).toEqual([]);
});

test('a whole-file check goes on while another screen is shown, and its result is there on return', async ({
  page,
}) => {
  await page.goto(host.url);
  await mapIntoWebinarList(page, csvPath);
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  await expect(page.getByRole('button', { name: /^Checking… [1-9][\d,]* rows$/ })).toBeVisible({
    timeout: 30_000,
  });

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'History', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History');
  // Still one check in the worker: leaving the screen neither stopped it nor started another.
  expect(checkFolders()).toHaveLength(1);
  await nav.getByRole('link', { name: 'Upload', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Upload');
  // Read at once, not retried: the screen shows the check it left (counting, or done), never an
  // idle "Check the whole file" while a check still runs.
  expect(await page.getByRole('button', { name: 'Check the whole file' }).count()).toBe(0);

  // Back on Upload: the same check, still counting or finished, never a second one.
  await expect(page.getByTestId('file-check')).toContainText(
    `${ROWS.toLocaleString('en-US')} rows in the file`,
    { timeout: 60_000 },
  );
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled();
  await expect(page.getByTestId('file-check')).toContainText(
    `${ROWS.toLocaleString('en-US')} will be rejected`,
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(checkFolders()).toEqual([]);
});
