import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunMetrics, RunSummary } from '../../core/contract';
import type { AppRuntime } from '../../core/services/app-runtime';
import { expectWrittenOnce } from '../support/exactly-once';
import {
  proposedMapping,
  runFinished,
  testRuntimePerFile,
  webinarContacts,
  writeWebinarCsv,
} from '../support/app-runtime-runs';

// An upload started after the whole-file check knows its file's rows from its first tick (the
// host remembers the check it ran: docs/ARCHITECTURE.md, "Probes priced by the work left"), in
// every session of the run while the file is unchanged; a file edited after its check is not
// given the stale count. Real sign-in, real HTTP to the in-process Sandbox, real journal.
let runtime: AppRuntime;
let folder: string;
let listId: string;

testRuntimePerFile('sluice-file-rows-', (started) => ({ runtime, folder, listId } = started));

/** Every metrics tick from now on, of any run (subscribe before the run starts). */
function collectTicks(): RunMetrics[] {
  const ticks: RunMetrics[] = [];
  runtime.events.subscribe((event, payload) => {
    if (event === 'runs:metrics') ticks.push(payload as RunMetrics);
  });
  return ticks;
}

/** The ticks of run `runId` among `ticks`. */
const ticksOf = (ticks: readonly RunMetrics[], runId: string) =>
  ticks.filter((tick) => tick.runId === runId);

/** The whole-file check the Upload screen runs before its Start button. */
async function check(csvPath: string, mapping: Awaited<ReturnType<typeof proposedMapping>>) {
  return runtime.services['csv:check']({
    jobId: `check-${path.basename(csvPath, '.csv')}`,
    path: csvPath,
    source: { kind: 'list', orgId: 'sandbox', listId },
    mapping,
    maxErrorRows: 10,
  });
}

function start(csvPath: string, mapping: Awaited<ReturnType<typeof proposedMapping>>) {
  return runtime.services['runs:start']({
    orgId: 'sandbox',
    listId,
    csvPath,
    mapping,
    strategy: 'contacts',
    headroomPercent: 10,
    batchSize: 50,
  });
}

function runJson(runId: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(folder, 'runs', runId, 'run.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function expectAccounted(summary: RunSummary, rows: number, rejected: number): void {
  expect(summary).toMatchObject({
    state: 'completed',
    rowsRead: rows,
    uploaded: rows - rejected,
    rejected,
    failed: 0,
    skipped: 0,
  });
  expect(summary.invariant).toEqual({ holds: true, problems: [] });
}

describe("a run's file rows", () => {
  it('reports the checked count and an ETA from its first ticks, in every session, with every row sent once', async () => {
    const rows = 3000;
    const bad = [40, 1700, 2999];
    const csvPath = writeWebinarCsv(folder, 'checked.csv', rows, bad, 'fr');
    const mapping = await proposedMapping(runtime, listId, csvPath);
    expect(await check(csvPath, mapping)).toMatchObject({ rowsRead: rows, rejected: 3 });

    const all = collectTicks();
    const { runId } = await start(csvPath, mapping);
    const paused = runFinished(runtime, runId);
    // Pause once a tick has measured a rate: the resume below is a new session, from run.json.
    const stopWatching = runtime.events.subscribe((event, payload) => {
      const tick = payload as RunMetrics;
      if (event !== 'runs:metrics' || tick.runId !== runId || tick.rowsPerSecond <= 0) return;
      stopWatching();
      void runtime.services['runs:pause']({ runId });
    });
    expect((await paused).state).toBe('paused');
    expect(runJson(runId).fileRows).toMatchObject({ rows, rejected: 3 });
    const facts = await runtime.services['runs:facts']({ runIds: [runId] });
    expect(facts[0]?.fileRows).toBe(rows);

    const first = ticksOf(all, runId);
    expect(first.length).toBeGreaterThan(1);
    // the count from the very first tick, long before the reader reached the file's end
    expect(first[0]).toMatchObject({ totalRows: rows });
    for (const tick of first) expect(tick.totalRows).toBe(rows);
    const timed = first.find((tick) => tick.rowsPerSecond > 0);
    expect(timed?.rowsRead ?? rows).toBeLessThan(rows);
    expect(timed?.etaMs).toBeGreaterThan(0);

    all.length = 0;
    const done = runFinished(runtime, runId);
    await runtime.services['runs:resume']({ runId });
    const summary = await done;
    const ticks = ticksOf(all, runId);
    expectAccounted(summary, rows, bad.length);
    expect(ticks[0]).toMatchObject({ totalRows: rows });
    for (const tick of ticks) expect(tick.totalRows).toBe(rows);
    const good = new Map(
      [...webinarContacts('fr', rows)].filter(
        ([id]) => !bad.some((index) => id === `fr${index}@example.com`),
      ),
    );
    expectWrittenOnce(runtime.sandbox!, listId, good, (id) => id.startsWith('fr'));
  });

  it('gives a file edited after its check no count until its reader reaches the end', async () => {
    const csvPath = writeWebinarCsv(folder, 'edited.csv', 1500, [], 'ed');
    const mapping = await proposedMapping(runtime, listId, csvPath);
    expect(await check(csvPath, mapping)).toMatchObject({ rowsRead: 1500, rejected: 0 });
    // 500 more rows after the check: the checked 1,500 would be a stale total
    const more = writeWebinarCsv(folder, 'more.csv', 2000, [], 'ed');
    appendFileSync(csvPath, readFileSync(more, 'utf8').split('\n').slice(1501).join('\n'));

    const all = collectTicks();
    const { runId } = await start(csvPath, mapping);
    const summary = await runFinished(runtime, runId);
    const ticks = ticksOf(all, runId);
    expectAccounted(summary, 2000, 0);
    expect(runJson(runId)).not.toHaveProperty('fileRows');
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks.filter((t) => t.rowsRead < 2000)) {
      expect(tick).not.toHaveProperty('totalRows');
      expect(tick).not.toHaveProperty('etaMs');
    }
    // once every row is read, the rows read are the total
    expect(ticks.at(-1)).toMatchObject({ totalRows: 2000, uploaded: 2000 });
    expectWrittenOnce(runtime.sandbox!, listId, webinarContacts('ed', 2000), (id) =>
      id.startsWith('ed'),
    );
  });

  it("takes the count but not the check's rejects when the run maps the file otherwise", async () => {
    const csvPath = writeWebinarCsv(folder, 'remapped.csv', 200, [7], 'rm');
    const mapping = await proposedMapping(runtime, listId, csvPath);
    await check(csvPath, mapping);
    // the run names its ids by hash instead: the rows are the file's, the rejects were the check's
    const { runId } = await start(csvPath, {
      ...mapping,
      contactId: { kind: 'hash', columns: ['Email'] },
    });
    const summary = await runFinished(runtime, runId);
    expectAccounted(summary, 200, 1);
    const counted = runJson(runId).fileRows as Record<string, unknown>;
    expect(counted).toMatchObject({ rows: 200 });
    expect(counted).not.toHaveProperty('rejected');
  });
});
