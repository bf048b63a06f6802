import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../support/temp-folder';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';
import { callHost, sandboxContacts, sandboxWrites, webinarListId } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { hiddenUploadLimit, sandboxOverridesArgs } from './support/hidden-upload-limit';
import { mapIntoWebinarList } from './support/start-upload';

// A run cancelled part-way through its file says how many of the file's rows it never read, and
// "Upload the rest" sends exactly those: no row of the file is sent twice (the accounting
// invariant, docs/ARCHITECTURE.md), and the rows the cancel recorded as failed stay failed.
const slow = hiddenUploadLimit({ uploads: 2, windowMs: 500 });
const ROWS = 3000;
const BATCH = 50;

let host: HostProcess;
let folder: string;
/** The run the first test cancelled and finished; the second retries its failed rows. */
let runId: string;
let listId: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startHostProcess(sandboxOverridesArgs(slow));
  folder = tempFolder('sluice-cancel-rest-e2e-');
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a cancelled run says how many rows of the file it never read, and Upload the rest sends only those', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const csvPath = writeContactsCsv(path.join(folder, 'export.csv'), {
    rows: ROWS,
    idPrefix: 'rest',
    phone: (index) => usPhone(6_000_000, index),
  });
  listId = await webinarListId(host);
  const ours = async () =>
    (await sandboxContacts(host, listId)).filter((c) => c.id.startsWith('rest'));

  await page.goto(host.url);
  await mapIntoWebinarList(page, csvPath);
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  await expect(page.getByTestId('file-check')).toContainText('3,000 rows in the file', {
    timeout: 60_000,
  });
  await page.getByLabel('Contacts per request (max 1,000)').fill(String(BATCH));
  await page.getByRole('button', { name: 'Start upload…' }).click();
  await page
    .getByRole('dialog', { name: /^Write to / })
    .getByRole('button', { name: /^Send .* rows?$/ })
    .click();
  await expect(page.getByTestId('run-view')).toBeVisible();
  await expect.poll(async () => (await ours()).length, { timeout: 30_000 }).toBeGreaterThan(200);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Cancel run…' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('cancelled', { timeout: 30_000 });
  runId = (await callHost(host, 'runs:list', {}))[0]!.runId;
  const cancelled = (await callHost(host, 'runs:get', { runId })).summary;
  expect(cancelled.rowsRead).toBeLessThan(ROWS);
  const notRead = ROWS - cancelled.rowsRead;
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText(`${cancelled.rowsRead.toLocaleString('en-US')} rows read =`);
  await expect(page.getByTestId('run-not-read')).toContainText(
    `${notRead.toLocaleString('en-US')} rows of the file not read`,
  );
  await page.screenshot({ path: 'test-results/run-cancel-rest/01-cancelled.png', fullPage: true });

  // The confirmation names the rows it sends, and the failed ones it leaves for a retry.
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Upload the rest…' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 90_000 });
  expect(asked).toContain(
    `Upload the ${notRead.toLocaleString('en-US')} rows of the file not read into “Webinar follow-up”?`,
  );
  if (cancelled.failed > 0) {
    expect(asked).toContain(
      `${cancelled.failed.toLocaleString('en-US')} ${cancelled.failed === 1 ? 'row' : 'rows'} recorded as failed stay in Failures`,
    );
  }
  await expect(page.getByTestId('run-not-read')).toHaveCount(0);
  await page.screenshot({
    path: 'test-results/run-cancel-rest/02-rest-uploaded.png',
    fullPage: true,
  });

  // Every row of the file is accounted for; the rest went up; no row was sent twice.
  const done = (await callHost(host, 'runs:get', { runId })).summary;
  expect(done.rowsRead).toBe(ROWS);
  expect(done.invariant.holds).toBe(true);
  expect(done.failed).toBe(cancelled.failed);
  expect(done.uploaded).toBe(ROWS - cancelled.failed);
  await expect(summary).toContainText(
    `3,000 rows read = ${done.uploaded.toLocaleString('en-US')} uploaded`,
  );
  const writes = await sandboxWrites(host, listId);
  const ourWrites = writes.filter((record) => record.id.startsWith('rest'));
  expect(ourWrites.length).toBeGreaterThanOrEqual(done.uploaded);
  expect(ourWrites.filter((record) => record.writes !== 1)).toEqual([]);
});

test('Failures: with a filter on, Retry and Export act on the rows that match it, and Retry sends each of them once', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const before = (await callHost(host, 'runs:get', { runId })).summary;
  expect(before.failed).toBeGreaterThan(1);
  const writesOf = async () => {
    const ours = (await sandboxWrites(host, listId)).filter((c) => c.id.startsWith('rest'));
    return {
      stored: ours.length,
      writes: ours.reduce((sum, c) => sum + c.writes, 0),
      byId: new Map(ours.map((c) => [c.id, c.writes])),
    };
  };
  const sandboxBefore = await writesOf();

  await page.goto(host.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Failures', exact: true })
    .click();
  await expect(page.getByRole('tab', { name: /Failed/ })).toHaveAttribute('aria-selected', 'true');
  // Without a filter, both act on every failed row, and say so.
  const failed = before.failed.toLocaleString('en-US');
  await expect(page.getByRole('button', { name: `Retry all ${failed} failed rows` })).toBeVisible();
  await expect(
    page.getByRole('button', { name: `Export all ${failed} failed rows` }),
  ).toBeVisible();

  // A filter narrows the table to one row's number and whatever else contains it.
  const first = (await callHost(host, 'runs:rows', { runId, outcome: 'failed', limit: 1 }))
    .rows[0]!;
  const filter = { status: '', code: '', text: String(first.row) };
  await page.getByLabel('Reason or value contains').fill(filter.text);
  const matched = await callHost(host, 'runs:rows', {
    runId,
    outcome: 'failed',
    limit: 1000,
    filter,
  });
  expect(matched.total).toBeGreaterThan(0);
  expect(matched.total).toBeLessThan(before.failed);
  const shown = `${matched.total.toLocaleString('en-US')} failed ${matched.total === 1 ? 'row that matches' : 'rows that match'} the filter`;
  await expect(
    page.getByText(`${matched.total.toLocaleString('en-US')} match the filter.`),
  ).toBeVisible();

  // Export writes the matching rows only.
  const exportShown = page.getByRole('button', { name: `Export the ${shown}` });
  await expect(exportShown).toBeVisible();
  await exportShown.click();
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: `Wrote ${matched.total.toLocaleString('en-US')} rows to ` }),
  ).toBeVisible();

  // Retry's confirmation names the count; it sends those rows and no other.
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await page.getByRole('button', { name: `Retry the ${shown}` }).click();
  await expect.poll(() => asked).not.toBe('');
  expect(asked).toBe(
    `Send the ${shown} of run ${runId} again? Each keeps its contact id, so nothing is duplicated.`,
  );
  await expect
    .poll(async () => (await callHost(host, 'runs:get', { runId })).summary, { timeout: 60_000 })
    .toMatchObject({
      state: 'completed',
      failed: before.failed - matched.total,
      uploaded: before.uploaded + matched.total,
    });
  const stillFailed = await callHost(host, 'runs:rows', {
    runId,
    outcome: 'failed',
    limit: 1000,
    filter,
  });
  expect(stillFailed.total).toBe(0);

  // The Sandbox got exactly the rows retried, each once: one more write for each, none else.
  const sandboxAfter = await writesOf();
  expect(sandboxAfter.writes - sandboxBefore.writes).toBe(matched.total);
  for (const row of matched.rows) {
    const id = row.contactId!;
    expect(sandboxAfter.byId.get(id)).toBe((sandboxBefore.byId.get(id) ?? 0) + 1);
  }
});
