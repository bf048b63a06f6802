import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../core/contract';
import { startAppRuntime, type AppRuntime } from '../../core/services/app-runtime';
import { proposedMapping, webinarListId, writeWebinarCsv } from '../support/app-runtime-runs';

// The run view's services (trace, live runs, facts, whole-file check) against the in-process
// Sandbox org, through the runtime the shells start.
let runtime: AppRuntime;
let folder: string;
let listId: string;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-run-view-'));
  runtime = await startAppRuntime({ version: '0.0.0', dataFolder: folder, shell: 'web-host' });
  listId = await webinarListId(runtime);
});
afterAll(async () => {
  await runtime.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('run view services', () => {
  it('checks the whole file: counts by rule, the first rejected rows, no files left behind', async () => {
    const csvPath = writeWebinarCsv(folder, 'check.csv', 300, [5, 150, 299], 'p');
    const before = readdirSync(os.tmpdir()).filter((name) => name.startsWith('sluice-check-'));
    const check = await runtime.services['csv:check']({
      jobId: 'check-1',
      path: csvPath,
      source: { kind: 'list', orgId: 'sandbox', listId },
      mapping: await proposedMapping(runtime, listId, csvPath),
      maxErrorRows: 2,
    });
    expect(check.rowsRead).toBe(300);
    expect(check.clean).toBe(297);
    expect(check.rejected).toBe(3);
    expect(Object.values(check.byRule).reduce((sum, count) => sum + count, 0)).toBe(3);
    // Row numbers are file lines (the header is line 1), as in every rejects file.
    expect(check.errorRows.map((row) => row.rowNumber)).toEqual([6, 151]);
    expect(check.errorRows[0]!.values).toContain('555-01');
    expect(check.headers).toEqual(['Email', 'First Name', 'Company', 'Work Phone', 'Score']);
    const after = readdirSync(os.tmpdir()).filter((name) => name.startsWith('sluice-check-'));
    expect(after.sort()).toEqual(before.sort());
  });

  it('keeps a run’s metrics history and summary, and its facts from the run folder', async () => {
    const csvPath = writeWebinarCsv(folder, 'trace.csv', 200, [9], 'p');
    const done = new Promise<RunSummary>((resolve) => {
      const stop = runtime.events.subscribe((event, payload) => {
        if (event === 'runs:finished') {
          stop();
          resolve(payload as RunSummary);
        }
      });
    });
    const { runId } = await runtime.services['runs:start']({
      orgId: 'sandbox',
      listId,
      csvPath,
      mapping: await proposedMapping(runtime, listId, csvPath),
      strategy: 'contacts',
      headroomPercent: 10,
      batchSize: 20,
    });
    const summary = await done;
    expect(summary.state).toBe('completed');

    const trace = await runtime.services['runs:trace']({ runId });
    expect(trace.live).toBe(false);
    expect(trace.summary?.uploaded).toBe(199);
    expect(trace.metrics.length).toBeGreaterThan(0);
    const elapsed = trace.metrics.map((tick) => tick.elapsedMs);
    expect([...elapsed].sort((a, b) => a - b)).toEqual(elapsed);
    expect(await runtime.services['runs:live']({})).toEqual([]);

    const [facts] = await runtime.services['runs:facts']({ runIds: [runId] });
    expect(facts).toMatchObject({
      runId,
      csvFileName: 'trace.csv',
      batchSize: 20,
      headroomPercent: 10,
    });
    expect(facts?.contactListName).toBe('Webinar follow-up');
    expect(Date.parse(facts!.createdAt!)).not.toBeNaN();
    expect(Date.parse(facts!.journalUpdatedAt!)).toBeGreaterThanOrEqual(
      Date.parse(facts!.createdAt!),
    );
    expect(await runtime.services['runs:facts']({ runIds: ['no-such-run'] })).toEqual([
      { runId: 'no-such-run' },
    ]);
  });
});
