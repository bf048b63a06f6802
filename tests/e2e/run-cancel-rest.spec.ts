import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../support/temp-folder';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';
import {
  callHost,
  sandboxContacts,
  sandboxWrites,
  startWebinarRun,
  webinarListId,
} from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { hiddenUploadLimit, sandboxOverridesArgs } from './support/hidden-upload-limit';
import { mapIntoWebinarList } from './support/start-upload';
import { answerConfirm } from './support/confirm';

// A run cancelled part-way through its file says what it never sent: rows read before the cancel
// and never sent (the reader runs ahead of the senders) and rows never read. "Upload the rest"
// sends both, once each (docs/ARCHITECTURE.md, "Cancel and the rest of the file"): no row of the
// file is stored twice, and none of the cancel's rows is left in Failures.
const slow = hiddenUploadLimit({ uploads: 2, windowMs: 500 });
const ROWS = 3000;
const BATCH = 50;

let host: HostProcess;
let folder: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startHostProcess(sandboxOverridesArgs(slow));
  folder = tempFolder('sluice-cancel-rest-e2e-');
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a cancelled run says what it never sent, and Upload the rest sends every one of those rows once', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const csvPath = writeContactsCsv(path.join(folder, 'export.csv'), {
    rows: ROWS,
    idPrefix: 'rest',
    phone: (index) => usPhone(6_000_000, index),
  });
  const listId = await webinarListId(host);
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

  await page.getByRole('button', { name: 'Cancel run…' }).click();
  await answerConfirm(page, 'yes');
  await expect(page.getByTestId('run-state')).toHaveText('cancelled', { timeout: 30_000 });
  const runId = (await callHost(host, 'runs:list', {}))[0]!.runId;
  const cancelled = (await callHost(host, 'runs:get', { runId })).summary;
  expect(cancelled.invariant.holds).toBe(true);
  expect(cancelled.rowsRead).toBeLessThan(ROWS);
  const notRead = ROWS - cancelled.rowsRead;
  const notSent = cancelled.notSent ?? 0;
  // the reader runs ahead of the senders: rows read and never sent are there to send
  expect(notSent).toBeGreaterThan(0);
  // rows sent without a definite answer (none expected here: the hidden limit answers 429s)
  const unconfirmed = cancelled.failed - notSent;
  const stored = await ours();
  expect(stored.length).toBeGreaterThanOrEqual(cancelled.uploaded);
  expect(stored.length).toBeLessThanOrEqual(cancelled.uploaded + unconfirmed);
  const count = (value: number) => value.toLocaleString('en-US');
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText(`${count(cancelled.rowsRead)} rows read =`);
  await expect(summary).toContainText(
    `${count(notSent)} rows read before the cancel were never sent`,
  );
  await expect(page.getByTestId('run-rest')).toContainText(
    `${count(notSent + notRead)} rows this run never sent: ${count(notSent)} read before the cancel and ${count(notRead)} never read.`,
  );
  await page.screenshot({ path: 'test-results/run-cancel-rest/01-cancelled.png', fullPage: true });

  // The confirmation names both counts, and the failed rows it leaves (if any).
  await page.getByRole('button', { name: 'Upload the rest…' }).click();
  const asked = await answerConfirm(page, 'yes');
  // while it runs, the failed count says how many of its rows are being sent again
  await expect(page.getByTestId('run-accounting')).toContainText(
    /\d+ failed \([\d,]+ to send again\) \+ 0 skipped \+ [\d,]+ pending/,
  );
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 90_000 });
  expect(asked).toContain(
    `Upload the ${count(notSent + notRead)} rows this run never sent to “Webinar follow-up”?`,
  );
  expect(asked).toContain(
    `${count(notSent)} read before the cancel and ${count(notRead)} never read. Each is sent once`,
  );
  if (unconfirmed > 0) expect(asked).toContain(`${count(unconfirmed)} failed`);
  else expect(asked).not.toContain('Failures');
  await expect(page.getByTestId('run-rest')).toHaveCount(0);
  await page.screenshot({
    path: 'test-results/run-cancel-rest/02-rest-uploaded.png',
    fullPage: true,
  });

  // Every row of the file is accounted for, and only the unconfirmed rows (if any) stay failed.
  const done = (await callHost(host, 'runs:get', { runId })).summary;
  expect(done).toMatchObject({ rowsRead: ROWS, failed: unconfirmed, notSent: 0 });
  expect(done.invariant.holds).toBe(true);
  expect(done.uploaded).toBe(ROWS - unconfirmed);
  await expect(summary).toContainText(`3,000 rows read = ${count(done.uploaded)} uploaded`);
  // Failures holds none of the cancel's never-sent rows
  const failedRows = await callHost(host, 'runs:rows', { runId, outcome: 'failed', limit: 1000 });
  expect(failedRows.total).toBe(unconfirmed);
  expect(failedRows.rows.filter((row) => row.code === 'cancelled-not-sent')).toEqual([]);
  if (unconfirmed === 0)
    await expect(
      page.getByRole('link', { name: 'Inspect and retry the rows that did not upload' }),
    ).toHaveCount(0);

  // The Sandbox stored every row of the file, each written exactly once.
  const writes = (await sandboxWrites(host, listId)).filter((record) =>
    record.id.startsWith('rest'),
  );
  expect(writes.length).toBeGreaterThanOrEqual(done.uploaded);
  expect(writes.length).toBeLessThanOrEqual(ROWS);
  expect(writes.filter((record) => record.writes !== 1)).toEqual([]);
  if (unconfirmed === 0) expect(writes).toHaveLength(ROWS);
});

test('Failures: with a filter on, Retry and Export act on the rows that match it, and Retry sends each of them once', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A run cancelled and not resumed: its rows never sent wait in Failures.
  const csvPath = writeContactsCsv(path.join(folder, 'retry.csv'), {
    rows: 600,
    idPrefix: 'retry',
    phone: (index) => usPhone(6_500_000, index),
  });
  const { runId, listId } = await startWebinarRun(host, csvPath, BATCH);
  await expect
    .poll(async () => (await callHost(host, 'runs:get', { runId })).summary.uploaded, {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  await callHost(host, 'runs:cancel', { runId });
  await expect
    .poll(async () => (await callHost(host, 'runs:get', { runId })).summary.state, {
      timeout: 30_000,
    })
    .toBe('cancelled');
  const before = (await callHost(host, 'runs:get', { runId })).summary;
  expect(before.failed).toBeGreaterThan(1);
  const writesOf = async () => {
    const ours = (await sandboxWrites(host, listId)).filter((c) => c.id.startsWith('retry'));
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
  await page.getByRole('button', { name: `Retry the ${shown}` }).click();
  expect(await answerConfirm(page, 'yes')).toBe(
    `Send the ${shown} again?\nRun ${runId}. Each row keeps its contact id, so nothing is duplicated.`,
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
