import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../core/contract';
import { startAppRuntime, type AppRuntime } from '../../core/services/app-runtime';

// The app's runs:* services against the in-process Sandbox org, through the same runtime the
// desktop app and the web host start: real sign-in, real HTTP, real journal.
let runtime: AppRuntime;
let folder: string;
let listId: string;

function writeCsv(name: string, rows: number, badPhones: number[] = [], prefix = 'person'): string {
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= rows; index += 1) {
    const phone = badPhones.includes(index)
      ? '555-01'
      : `+1317555${String(index).padStart(4, '0')}`;
    lines.push(`${prefix}${index}@example.com,Person ${index},Acme,${phone},warm`);
  }
  const file = path.join(folder, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function finished(runId: string): Promise<RunSummary> {
  return new Promise((resolve) => {
    const stop = runtime.events.subscribe((event, payload) => {
      const summary = payload as RunSummary;
      if (event === 'runs:finished' && summary.runId === runId) {
        stop();
        resolve(summary);
      }
    });
  });
}

async function mappingFor(csvPath: string) {
  const inspection = await runtime.services['csv:inspect']({ path: csvPath });
  const matched = await runtime.services['csv:autoMatch']({
    headers: inspection.headers,
    source: { kind: 'list', orgId: 'sandbox', listId },
  });
  return { ...matched.mapping, contactId: { kind: 'column' as const, column: 'Email' } };
}

/** Starts a run of `csvPath` into the Webinar list with the auto-matched mapping (ids: Email). */
async function startRun(csvPath: string, strategy: 'contacts' | 'import', batchSize: number) {
  return runtime.services['runs:start']({
    orgId: 'sandbox',
    listId,
    csvPath,
    mapping: await mappingFor(csvPath),
    strategy,
    headroomPercent: 10,
    batchSize,
  });
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-runs-'));
  runtime = await startAppRuntime({ version: '0.0.0', dataFolder: folder, shell: 'web-host' });
  const page = await runtime.services['lists:search']({
    orgId: 'sandbox',
    name: 'Webinar',
    pageNumber: 1,
    pageSize: 25,
    sortOrder: 'ascending',
  });
  listId = page.entities[0]!.id;
});
afterAll(async () => {
  await runtime.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('runs service', () => {
  it('uploads a CSV into a sandbox list: every good row once, bad rows rejected with reasons', async () => {
    const csvPath = writeCsv('webinar.csv', 120, [7, 50, 99]);
    const { runId } = await startRun(csvPath, 'contacts', 50);
    const summary = await finished(runId);

    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: 120,
      uploaded: 117,
      rejected: 3,
      failed: 0,
      skipped: 0,
    });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    const stored = runtime.sandbox!.inspect.contacts(listId);
    const ids = stored.map((contact) => contact.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(117);
    expect(ids).toContain('person1@example.com');
    expect(ids).not.toContain('person7@example.com');

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

  it('pauses and resumes a run without losing or repeating a row', async () => {
    const csvPath = writeCsv('paused.csv', 200);
    const { runId } = await startRun(csvPath, 'contacts', 10);
    const paused = finished(runId);
    await runtime.services['runs:pause']({ runId });
    const atPause = await paused;
    expect(atPause.state).toBe('paused');
    expect(atPause.uploaded).toBeLessThan(200);

    const done = finished(runId);
    await runtime.services['runs:resume']({ runId });
    const summary = await done;
    expect(summary).toMatchObject({ state: 'completed', uploaded: 200, rejected: 0, failed: 0 });
    expect(summary.invariant.holds).toBe(true);
    const stored = runtime
      .sandbox!.inspect.contacts(listId)
      .filter((contact) => contact.id.startsWith('person'));
    expect(new Set(stored.map((contact) => contact.id)).size).toBe(stored.length);
  });

  it('bulk import strategy: the same contacts arrive through the upload URL, and it cannot be paused', async () => {
    const csvPath = writeCsv('import.csv', 300, [10], 'imported');
    const { runId } = await startRun(csvPath, 'import', 1000);
    const done = finished(runId);
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
    const csvPath = writeCsv('fix.csv', 20, [5], 'fix');
    const { runId } = await startRun(csvPath, 'contacts', 1000);
    expect(await finished(runId)).toMatchObject({ uploaded: 19, rejected: 1 });
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

    const done = finished(runId);
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
