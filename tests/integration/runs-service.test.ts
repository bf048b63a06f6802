import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../core/engine/run/run-lock';
import type { AppRuntime } from '../../core/services/app-runtime';
import { contactPosts, expectWrittenOnce } from '../support/exactly-once';
import { missingContactAddPermission } from '../support/upload-fixtures';
import {
  runFinished,
  testRuntimePerFile,
  startWebinarRun,
  webinarContacts,
  whenFirstBatchUploads,
  writeWebinarCsv,
} from '../support/app-runtime-runs';

// The app's runs:* services against the in-process Sandbox org, through the same runtime the
// desktop app and the web host start: real sign-in, real HTTP, real journal.
let runtime: AppRuntime;
let folder: string;
let listId: string;

/** The ids with this test's prefix the Sandbox holds in the Webinar list, sorted. */
function storedWithPrefix(prefix: string): string[] {
  return runtime
    .sandbox!.inspect.contacts(listId)
    .map((contact) => contact.id)
    .filter((id) => id.startsWith(prefix))
    .sort();
}

/** Starts a run of `csvPath` into the Webinar list with the auto-matched mapping (ids: Email). */
function startRun(csvPath: string, strategy: 'contacts' | 'import', batchSize: number) {
  return startWebinarRun(runtime, listId, csvPath, { strategy, batchSize });
}

/** The Sandbox refuses the next contact POST as a whole (409), so its rows fail. */
function refuseNextContactPost() {
  runtime.sandbox!.inspect.scriptAnswers([
    {
      route: 'POST /api/v2/outbound/contactlists/{id}/contacts',
      status: 409,
      code: 'conflict',
      message: 'The contact list is being modified.',
      count: 1,
    },
  ]);
}

testRuntimePerFile('sluice-runs-', (started) => ({ runtime, folder, listId } = started));

describe('runs service', () => {
  it('uploads a CSV into a sandbox list: every good row once, bad rows rejected with reasons', async () => {
    const csvPath = writeWebinarCsv(folder, 'webinar.csv', 120, [7, 50, 99]);
    const { runId } = await startRun(csvPath, 'contacts', 50);
    const summary = await runFinished(runtime, runId);

    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: 120,
      uploaded: 117,
      rejected: 3,
      failed: 0,
      skipped: 0,
    });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    // Rows 7, 50 and 99 carry a bad phone: never sent; every other row written once.
    const good = new Map(
      [...webinarContacts('person', 120)].filter(
        ([id]) => !['person7@', 'person50@', 'person99@'].some((bad) => id.startsWith(bad)),
      ),
    );
    expectWrittenOnce(runtime.sandbox!, listId, good, (id) => id.startsWith('person'));

    const rejected = await runtime.services['runs:rows']({
      runId,
      outcome: 'rejected',
      offset: 0,
      limit: 100,
    });
    expect(rejected.total).toBe(3);
    expect(rejected.rows.map((row) => row.row)).toEqual([8, 51, 100]);
    expect(rejected.rows[0]!.reason).toMatch(/555-01/);

    const exportPath = path.join(folder, 'rejected.csv');
    expect(
      await runtime.services['runs:exportRows']({
        runId,
        outcome: 'rejected',
        path: exportPath,
        overwrite: false,
      }),
    ).toEqual({ path: exportPath, rows: 3 });
    // A second export never silently replaces the first one (it may have been edited).
    await expect(
      runtime.services['runs:exportRows']({
        runId,
        outcome: 'rejected',
        path: exportPath,
        overwrite: false,
      }),
    ).rejects.toMatchObject({ code: 'exists', message: expect.stringMatching(/already exists/) });
    writeFileSync(exportPath, 'edited by hand');
    await runtime.services['runs:exportRows']({
      runId,
      outcome: 'rejected',
      path: exportPath,
      overwrite: true,
    });
    expect(readFileSync(exportPath, 'utf8')).toContain('person50@example.com');
    // With a filter, only the rows that match it (as the Failures table shows them).
    const filteredPath = path.join(folder, 'rejected-51.csv');
    expect(
      await runtime.services['runs:exportRows']({
        runId,
        outcome: 'rejected',
        path: filteredPath,
        overwrite: false,
        filter: { status: '', code: '', text: '51' },
      }),
    ).toEqual({ path: filteredPath, rows: 1 });
    expect(readFileSync(filteredPath, 'utf8')).toContain('person50@example.com');

    const listed = await runtime.services['runs:list']({});
    expect(listed.map((run) => run.runId)).toContain(runId);
    expect(listed.find((run) => run.runId === runId)?.contactListName).toBe('Webinar follow-up');

    // Skipping: only failed/rejected rows move (row 2 was uploaded), and the accounting holds.
    const skipped = await runtime.services['runs:skipRows']({
      runId,
      rows: [8, 51, 2],
      reason: 'Not a customer any more',
    });
    expect(skipped.skipped).toBe(2);
    expect(skipped.summary).toMatchObject({
      rowsRead: 120,
      uploaded: 117,
      rejected: 1,
      skipped: 2,
    });
    expect(skipped.summary.invariant.holds).toBe(true);
    const skippedRows = await runtime.services['runs:rows']({
      runId,
      outcome: 'skipped',
      offset: 0,
      limit: 10,
    });
    expect(skippedRows.rows.map((row) => [row.row, row.reason])).toEqual([
      [8, 'Not a customer any more'],
      [51, 'Not a customer any more'],
    ]);
    expect((await runtime.services['runs:get']({ runId })).summary).toMatchObject({
      rejected: 1,
      skipped: 2,
    });
  });

  it('pauses and resumes a run: every row written once, none lost, none repeated', async () => {
    const rows = 400;
    const csvPath = writeWebinarCsv(folder, 'paused.csv', rows, [], 'paused');
    const { runId } = await startRun(csvPath, 'contacts', 10);
    // Pause only once a batch was acknowledged, so rows were really read and sent before it.
    const paused = runFinished(runtime, runId);
    whenFirstBatchUploads(runtime, runId, () => runtime.services['runs:pause']({ runId }));
    const atPause = await paused;
    expect(atPause.state).toBe('paused');
    expect(atPause.uploaded).toBeGreaterThanOrEqual(10);
    expect(atPause.uploaded).toBeLessThan(rows);
    // What the run counted as uploaded at the pause is what the Sandbox holds, once each.
    expect(storedWithPrefix('paused')).toHaveLength(atPause.uploaded);

    const done = runFinished(runtime, runId);
    await runtime.services['runs:resume']({ runId });
    const summary = await done;
    expect(summary).toMatchObject({ state: 'completed', uploaded: rows, rejected: 0, failed: 0 });
    expect(summary.invariant.holds).toBe(true);
    expectWrittenOnce(runtime.sandbox!, listId, webinarContacts('paused', rows), (id) =>
      id.startsWith('paused'),
    );
  });

  it('cancels a running run: unacknowledged rows are failed as cancelled and never sent', async () => {
    const rows = 400;
    const csvPath = writeWebinarCsv(folder, 'cancelled.csv', rows, [], 'cancelled');
    const { runId } = await startRun(csvPath, 'contacts', 10);
    const ended = runFinished(runtime, runId);
    whenFirstBatchUploads(runtime, runId, () => runtime.services['runs:cancel']({ runId }));
    const summary = await ended;
    expect(summary.state).toBe('cancelled');
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    expect(summary.uploaded).toBeGreaterThanOrEqual(10);
    expect(summary.uploaded).toBeLessThan(rows);
    expect(summary.uploaded + summary.failed).toBe(summary.rowsRead);
    const failed = await runtime.services['runs:rows']({
      runId,
      outcome: 'failed',
      offset: 0,
      limit: rows,
    });
    expect(failed.total).toBe(summary.failed);
    for (const row of failed.rows) expect(row.reason).toMatch(/cancel/i);
    // On the Sandbox: exactly the acknowledged rows, once each; no cancelled row was sent.
    const acknowledged = storedWithPrefix('cancelled');
    expect(acknowledged).toHaveLength(summary.uploaded);
    const cancelledIds = new Set(failed.rows.map((row) => row.contactId));
    expect(acknowledged.filter((id) => cancelledIds.has(id))).toEqual([]);
    const all = webinarContacts('cancelled', rows);
    expectWrittenOnce(
      runtime.sandbox!,
      listId,
      new Map([...all].filter(([id]) => acknowledged.includes(id))),
      (id) => id.startsWith('cancelled'),
    );
    await expect(runtime.services['runs:cancel']({ runId })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('resumes a run a 403 stopped once the permission is back: every row it did not store, once each', async () => {
    const rows = 300;
    const csvPath = writeWebinarCsv(folder, 'stopped.csv', rows, [], 'stopped');
    const { runId } = await startRun(csvPath, 'contacts', 10);
    const ended = runFinished(runtime, runId);
    // The client's role loses the permission mid-run: the next contact POST is refused
    whenFirstBatchUploads(runtime, runId, () =>
      runtime.sandbox!.inspect.scriptAnswers([missingContactAddPermission()]),
    );
    const stopped = await ended;
    expect(stopped.state).toBe('stopped');
    expect(stopped.invariant).toEqual({ holds: true, problems: [] });
    expect(stopped.uploaded).toBeGreaterThanOrEqual(10);
    expect(stopped.uploaded).toBeLessThan(rows);
    // nothing the stop left was stored: every failed row goes with the rest when resumed
    expect(stopped.notSent).toBe(stopped.failed);
    expect(stopped.failed).toBe(stopped.rowsRead - stopped.uploaded);
    expect(stopped.stateReason).toMatch(/outbound:contact:add/);
    expect(stopped.stateReason).toMatch(/were not stored; once that is fixed, resuming the run/);
    expect(storedWithPrefix('stopped')).toHaveLength(stopped.uploaded);
    const view = await runtime.services['runs:get']({ runId });
    expect(view.summary.state).toBe('stopped');

    const done = runFinished(runtime, runId);
    await runtime.services['runs:resume']({ runId });
    const summary = await done;
    expect(summary).toMatchObject({ state: 'completed', uploaded: rows, failed: 0, notSent: 0 });
    expect(summary.invariant.holds).toBe(true);
    expectWrittenOnce(runtime.sandbox!, listId, webinarContacts('stopped', rows), (id) =>
      id.startsWith('stopped'),
    );
  });

  it('retries the failed rows of a run: only they are sent again, once each', async () => {
    const rows = 60;
    const csvPath = writeWebinarCsv(folder, 'retry.csv', rows, [], 'retried');
    // The first contact POST of the run is refused as a whole (409): its 10 rows fail.
    refuseNextContactPost();
    const { runId } = await startRun(csvPath, 'contacts', 10);
    const first = await runFinished(runtime, runId);
    expect(first).toMatchObject({ rowsRead: rows, uploaded: rows - 10, failed: 10 });
    const failedBefore = await runtime.services['runs:rows']({
      runId,
      outcome: 'failed',
      offset: 0,
      limit: rows,
    });
    const failedIds = failedBefore.rows.map((row) => row.contactId).sort();
    expect(failedIds).toHaveLength(10);
    expect(storedWithPrefix('retried').filter((id) => failedIds.includes(id))).toEqual([]);

    const postsBefore = runtime.sandbox!.inspect.requests().length;
    const done = runFinished(runtime, runId);
    await runtime.services['runs:retryFailed']({ runId });
    const summary = await done;
    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: rows,
      uploaded: rows,
      failed: 0,
    });
    expect(summary.invariant.holds).toBe(true);
    // The retry sent the 10 failed rows in one batch, and nothing that was uploaded before.
    expect(contactPosts(runtime.sandbox!, postsBefore)).toBe(1);
    expectWrittenOnce(runtime.sandbox!, listId, webinarContacts('retried', rows), (id) =>
      id.startsWith('retried'),
    );
  });

  it('undoes a skip: the rows go back to failed, a retry sends each once, and the accounting holds throughout', async () => {
    const rows = 40;
    const csvPath = writeWebinarCsv(folder, 'unskip.csv', rows, [], 'unskipped');
    refuseNextContactPost();
    const { runId } = await startRun(csvPath, 'contacts', 10);
    expect(await runFinished(runtime, runId)).toMatchObject({ uploaded: 30, failed: 10 });
    const failed = await runtime.services['runs:rows']({
      runId,
      outcome: 'failed',
      offset: 0,
      limit: 50,
    });
    const failedRows = failed.rows.map((row) => row.row);

    // Skip all ten, then undo eight of them (the two left stay skipped).
    const skipped = await runtime.services['runs:skipRows']({
      runId,
      rows: [...failedRows, 1],
      reason: 'Not now',
    });
    expect(skipped.rows).toEqual(failedRows);
    expect(skipped.summary).toMatchObject({ failed: 0, skipped: 10 });
    expect(skipped.summary.invariant.holds).toBe(true);
    const back = await runtime.services['runs:unskipRows']({ runId, rows: failedRows.slice(2) });
    expect(back).toMatchObject({ failed: 8, rejected: 0 });
    expect(back.summary).toMatchObject({ rowsRead: rows, uploaded: 30, failed: 8, skipped: 2 });
    expect(back.summary.invariant.holds).toBe(true);
    // What History and the CLI read (summary.json) says the same.
    expect(
      (await runtime.services['runs:list']({})).find((run) => run.runId === runId),
    ).toMatchObject({
      failed: 8,
      skipped: 2,
    });

    const postsBefore = runtime.sandbox!.inspect.requests().length;
    const done = runFinished(runtime, runId);
    await runtime.services['runs:retryFailed']({ runId });
    const summary = await done;
    expect(summary).toMatchObject({ rowsRead: rows, uploaded: 38, failed: 0, skipped: 2 });
    expect(summary.invariant.holds).toBe(true);
    expect(contactPosts(runtime.sandbox!, postsBefore)).toBe(1);
    // On the Sandbox: every row once except the two still skipped, which were never sent.
    const stillSkipped = failed.rows.slice(0, 2).map((row) => row.contactId);
    const expected = new Map(
      [...webinarContacts('unskipped', rows)].filter(([id]) => !stillSkipped.includes(id)),
    );
    expect(expected.size).toBe(38);
    expectWrittenOnce(runtime.sandbox!, listId, expected, (id) => id.startsWith('unskipped'));
  });

  it('removes a finished run from History and brings it back; a live run cannot be removed', async () => {
    const first = await startRun(
      writeWebinarCsv(folder, 'kept.csv', 5, [], 'kept'),
      'contacts',
      10,
    );
    await runFinished(runtime, first.runId);
    const second = await startRun(
      writeWebinarCsv(folder, 'gone.csv', 5, [], 'gone'),
      'contacts',
      10,
    );
    const secondSummary = await runFinished(runtime, second.runId);
    const keptFiles = readdirSync(path.join(folder, 'runs', first.runId)).sort();

    const removed = await runtime.services['runs:remove']({ runId: second.runId });
    expect(removed.removed).toMatchObject({ runId: second.runId, uploaded: 5, state: 'completed' });
    expect(removed.keptForMs).toBeGreaterThanOrEqual(10_000);
    const listed = (await runtime.services['runs:list']({})).map((run) => run.runId);
    expect(listed).not.toContain(second.runId);
    expect(listed).toContain(first.runId);
    await expect(runtime.services['runs:get']({ runId: second.runId })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(readdirSync(path.join(folder, 'runs', first.runId)).sort()).toEqual(keptFiles);

    const restored = await runtime.services['runs:restoreRemoved']({ runId: second.runId });
    expect(restored.summary).toEqual(secondSummary);
    expect((await runtime.services['runs:list']({})).map((run) => run.runId)).toContain(
      second.runId,
    );
    await expect(
      runtime.services['runs:restoreRemoved']({ runId: second.runId }),
    ).rejects.toMatchObject({ code: 'not-found' });

    // A run going in this window is refused, and stays.
    const slow = await startRun(
      writeWebinarCsv(folder, 'live.csv', 400, [], 'live'),
      'contacts',
      1,
    );
    const finished = runFinished(runtime, slow.runId);
    await expect(runtime.services['runs:remove']({ runId: slow.runId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/cancel it first/),
    });
    await runtime.services['runs:cancel']({ runId: slow.runId }).catch(() => undefined);
    await finished;
    expect(existsSync(path.join(folder, 'runs', slow.runId, 'run.json'))).toBe(true);
  });

  it('refuses to run a run folder another live process holds, and takes it once that process is gone', async () => {
    const csvPath = writeWebinarCsv(folder, 'held.csv', 20, [], 'held');
    refuseNextContactPost();
    const { runId } = await startRun(csvPath, 'contacts', 10);
    expect(await runFinished(runtime, runId)).toMatchObject({ uploaded: 10, failed: 10 });
    // Another process (alive, on this host) holds the run folder, as a CLI session would.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    const otherExited = new Promise((resolve) => other.once('exit', resolve));
    const lockPath = path.join(folder, 'runs', runId, LOCK_FILE);
    writeFileSync(lockPath, JSON.stringify({ pid: other.pid, host: os.hostname(), since: 'now' }));
    const requestsBefore = runtime.sandbox!.inspect.requests().length;
    try {
      await expect(runtime.services['runs:retryFailed']({ runId })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining(`another Sluice process (pid ${other.pid})`),
      });
      expect(runtime.sandbox!.inspect.requests().length).toBe(requestsBefore);
    } finally {
      other.kill('SIGKILL');
      await otherExited;
    }
    // Its process is gone: the lock is stale, and the retry runs.
    const done = runFinished(runtime, runId);
    await runtime.services['runs:retryFailed']({ runId });
    expect(await done).toMatchObject({ state: 'completed', uploaded: 20, failed: 0 });
    expectWrittenOnce(runtime.sandbox!, listId, webinarContacts('held', 20), (id) =>
      id.startsWith('held'),
    );
  });

  it('bulk import strategy: the same contacts arrive through the upload URL, and it cannot be paused', async () => {
    const csvPath = writeWebinarCsv(folder, 'import.csv', 300, [10], 'imported');
    const { runId } = await startRun(csvPath, 'import', 1000);
    const done = runFinished(runtime, runId);
    await expect(runtime.services['runs:pause']({ runId })).rejects.toThrow(/cannot be paused/);
    const summary = await done;
    expect(summary).toMatchObject({
      strategy: 'import',
      state: 'completed',
      rowsRead: 300,
      uploaded: 299,
      rejected: 1,
    });
    expect(summary.invariant.holds).toBe(true);
    const ids = new Set(runtime.sandbox!.inspect.contacts(listId).map((contact) => contact.id));
    expect(ids.has('imported300@example.com')).toBe(true);
    expect(ids.has('imported10@example.com')).toBe(false);
  });

  it('fixes a rejected row in place: checked like the first pass, then sent with a stable id', async () => {
    const csvPath = writeWebinarCsv(folder, 'fix.csv', 20, [5], 'fix');
    const { runId } = await startRun(csvPath, 'contacts', 1000);
    expect(await runFinished(runtime, runId)).toMatchObject({ uploaded: 19, rejected: 1 });
    const [rejected] = (
      await runtime.services['runs:rows']({ runId, outcome: 'rejected', offset: 0, limit: 10 })
    ).rows;
    expect(rejected!.data).toMatchObject({ 'Work Phone': '555-01' });

    // A correction that still breaks a rule comes back with the reason and changes nothing.
    const stillBad = await runtime.services['runs:fixRows']({
      runId,
      rows: [{ row: rejected!.row, data: { ...rejected!.data, 'Work Phone': '12' } }],
    });
    expect(stillBad.queued).toBe(0);
    expect(stillBad.problems[0]!.messages.join(' ')).toMatch(/Work ?Phone/);

    const done = runFinished(runtime, runId);
    const fixed = await runtime.services['runs:fixRows']({
      runId,
      rows: [
        { row: rejected!.row, data: { ...rejected!.data, 'Work Phone': '+13175559005' } },
        { row: 2, data: { Email: 'x@example.com' } },
      ],
    });
    expect(fixed.queued).toBe(1);
    expect(fixed.problems).toEqual([
      { row: 2, messages: ['Row 2 is not a failed or rejected row of this run.'] },
    ]);
    const summary = await done;
    expect(summary).toMatchObject({ rowsRead: 20, uploaded: 20, rejected: 0, failed: 0 });
    expect(summary.invariant.holds).toBe(true);
    const stored = runtime
      .sandbox!.inspect.contacts(listId)
      .find((contact) => contact.id === 'fix5@example.com');
    expect(stored?.data.WorkPhone).toBe('+13175559005');
  });

  it('refuses unknown runs and bad requests with clear errors', async () => {
    await expect(runtime.services['runs:get']({ runId: 'nope' })).rejects.toThrow(/No run/);
    await expect(runtime.services['runs:pause']({ runId: 'nope' })).rejects.toThrow(/not running/);
    expect(existsSync(path.join(folder, 'runs'))).toBe(true);
  });
});
