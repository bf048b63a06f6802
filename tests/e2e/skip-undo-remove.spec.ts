import { expect, test } from '@playwright/test';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../support/temp-folder';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';
import { callHost, sandboxContacts, sandboxWrites, startWebinarRun } from './support/host-api';
import { hiddenUploadLimit, sandboxOverridesArgs } from './support/hidden-upload-limit';
import { startHostProcess, type HostProcess } from './support/host-process';
import { answerConfirm } from './support/confirm';

// Skip → Undo → Retry on the Failures screen, Unskip on its Skipped tab, and History's
// "Remove from history…" with its Undo. Contact uploads are slowed (4 a second) so a run can be
// cancelled with rows still failed.
let host: HostProcess;
let folder: string;

test.beforeAll(async () => {
  host = await startHostProcess(
    sandboxOverridesArgs(hiddenUploadLimit({ uploads: 4, windowMs: 1000 })),
  );
  folder = tempFolder('sluice-undo-e2e-');
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** Waits until the run's summary reaches `state`. */
async function runReaches(runId: string, state: string): Promise<void> {
  await expect
    .poll(async () => (await callHost(host, 'runs:get', { runId })).summary.state, {
      timeout: 60_000,
    })
    .toBe(state);
}

test('Skip → Undo puts exactly those rows back in Failed, Unskip brings the rest back, and Retry stores each once', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const csvPath = writeContactsCsv(path.join(folder, 'undo.csv'), {
    rows: 60,
    idPrefix: 'undo',
    phone: (index) => usPhone(7_200_000, index),
  });
  const { runId, listId } = await startWebinarRun(host, csvPath, 5);
  // Cancel once a batch is in: the rows read and not acknowledged become failed (cancelled).
  await expect
    .poll(async () => (await callHost(host, 'runs:get', { runId })).summary.uploaded, {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  await callHost(host, 'runs:cancel', { runId });
  await runReaches(runId, 'cancelled');
  const cancelled = (await callHost(host, 'runs:get', { runId })).summary;
  expect(cancelled.failed).toBeGreaterThanOrEqual(3);

  await page.goto(host.url);
  await page.getByRole('link', { name: 'Failures', exact: true }).click();
  await expect(page.getByRole('tab', { name: `Failed (${cancelled.failed})` })).toBeVisible();
  const table = page.getByRole('table', { name: 'Rows' });
  const failedRows = await callHost(host, 'runs:rows', {
    runId,
    outcome: 'failed',
    offset: 0,
    limit: 1000,
  });
  const [first, second, third] = failedRows.rows.map((row) => row.row) as [number, number, number];
  for (const row of [first, second, third]) await table.getByLabel(`Choose row ${row}`).check();
  await page.getByRole('button', { name: 'Skip 3 chosen rows…', exact: true }).click();
  expect(await answerConfirm(page, 'yes')).toContain('Skip 3 rows?');
  await expect(page.getByRole('status').filter({ hasText: 'Skipped 3 rows.' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Skipped (3)' })).toBeVisible();
  await expect(page.getByRole('tab', { name: `Failed (${cancelled.failed - 3})` })).toBeVisible();

  // The keyboard is on Undo: Enter gives back exactly those three rows.
  const undo = page.getByRole('button', { name: 'Undo skip' });
  await expect(undo).toBeFocused();
  expect(await undo.evaluate((button) => button.closest('[role="status"]'))).toBeNull();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: 'Returned 3 rows to Failed.' }),
  ).toBeVisible();
  await expect(page.getByRole('tab', { name: `Failed (${cancelled.failed})` })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Skipped (0)' })).toBeVisible();
  await expect(undo).toHaveCount(0);

  // Later, from the Skipped tab: skip two, then Unskip one of them there.
  for (const row of [first, second]) await table.getByLabel(`Choose row ${row}`).check();
  await page.getByRole('button', { name: 'Skip 2 chosen rows…', exact: true }).click();
  await answerConfirm(page, 'yes');
  await page.getByRole('tab', { name: 'Skipped (2)' }).click();
  await table.getByLabel(`Choose row ${second}`).check();
  await page.getByRole('button', { name: 'Unskip 1 chosen row', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Returned 1 row to Failed.' }),
  ).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Skipped (1)' })).toBeVisible();

  // Retry every failed row: on the Sandbox, every contact but the one still skipped, once each.
  await page.getByRole('tab', { name: /^Failed/ }).click();
  await page.getByRole('button', { name: `Retry all ${cancelled.failed - 1} failed rows` }).click();
  await answerConfirm(page, 'yes');
  await expect(page.getByRole('tab', { name: 'Failed (0)' })).toBeVisible({ timeout: 60_000 });
  const done = (await callHost(host, 'runs:get', { runId })).summary;
  expect(done).toMatchObject({
    uploaded: cancelled.uploaded + cancelled.failed - 1,
    failed: 0,
    skipped: 1,
    rejected: 0,
  });
  expect(done.rowsRead).toBe(done.uploaded + done.skipped);
  expect(done.invariant.holds).toBe(true);

  const skippedId = failedRows.rows.find((row) => row.row === first)!.contactId!;
  const ours = (await sandboxContacts(host, listId)).filter((contact) =>
    contact.id.startsWith('undo'),
  );
  expect(ours.map((contact) => contact.id)).not.toContain(skippedId);
  expect(ours).toHaveLength(done.uploaded);
  const writes = (await sandboxWrites(host, listId)).filter((entry) => entry.id.startsWith('undo'));
  const retried = failedRows.rows.map((row) => row.contactId!).filter((id) => id !== skippedId);
  for (const id of retried) expect(writes.find((entry) => entry.id === id)?.writes, id).toBe(1);
});

test('Remove from history… names the run, removes it, and Undo brings it back whole', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const csvPath = writeContactsCsv(path.join(folder, 'remove-me.csv'), {
    rows: 4,
    idPrefix: 'rm',
    phone: (index) => usPhone(7_300_000, index),
  });
  const { runId } = await startWebinarRun(host, csvPath, 10);
  await runReaches(runId, 'completed');
  const runDir = (await callHost(host, 'runs:get', { runId })).summary.runDir;

  await page.goto(host.url);
  await page.getByRole('link', { name: 'History', exact: true }).click();
  const runs = page.getByRole('table', { name: 'Runs' });
  const remove = runs.getByRole('button', { name: `Remove run ${runId} from history…` });
  await remove.click();
  const dialog = page.getByRole('alertdialog', { name: 'Remove this run from History?' });
  await expect(dialog).toBeFocused();
  await expect(dialog).toContainText('remove-me.csv');
  await expect(dialog).toContainText('Webinar follow-up');
  await expect(dialog.getByTestId('remove-run-counts')).toHaveText(
    '4 rows read: 4 uploaded, 0 rejected, 0 failed, 0 skipped',
  );
  // Escape keeps it, and the keyboard goes back to the button that asked.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(remove).toBeFocused();
  expect(existsSync(runDir)).toBe(true);

  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Remove from history' }).click();
  await expect(runs.getByRole('link', { name: `Open run ${runId}` })).toHaveCount(0);
  expect(existsSync(runDir)).toBe(false);
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  await expect(undo).toBeFocused();
  // The message is the live region; the button beside it is not read again with it.
  await expect(page.getByRole('status').filter({ hasText: 'Removed the run of' })).toBeVisible();
  expect(await undo.evaluate((button) => button.closest('[role="status"]'))).toBeNull();
  await page.keyboard.press('Enter');
  await expect(runs.getByRole('link', { name: `Open run ${runId}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'is back in History' })).toBeVisible();
  expect(existsSync(path.join(runDir, 'journal.ndjson'))).toBe(true);
  expect((await callHost(host, 'runs:get', { runId })).summary).toMatchObject({
    rowsRead: 4,
    uploaded: 4,
  });
});
