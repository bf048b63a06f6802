import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrgLimiter } from '../../../../core/engine/throttle/org-limiter';
import {
  UploadRun,
  type RunEvent,
  type UploadRunOptions,
} from '../../../../core/engine/contacts/contacts-run';
import type { SourceRow } from '../../../../core/engine/types';
import type { RunMetrics } from '../../../../core/contract/runs';
import { FakeGenesys, FakeTokens, type FakeAnswer } from '../fake-genesys';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-run-'));
  dirs.push(dir);
  return join(dir, 'run-1');
}

function rows(
  count: number,
  extra: (n: number) => Partial<SourceRow> = () => ({}),
): () => AsyncIterable<SourceRow> {
  return async function* () {
    for (let n = 1; n <= count; n += 1) {
      yield {
        rowNumber: n,
        ok: true,
        contact: { id: `c${n}`, data: { Name: `n${n}` } },
        ...extra(n),
      } as SourceRow;
    }
  };
}

function fastLimiter(): OrgLimiter {
  return new OrgLimiter({
    rateController: { initialRatePerSecond: 10_000, maxRatePerSecond: 100_000 },
    backoff: { baseDelayMs: 1, maxDelayMs: 2 },
  });
}

/** A fast limiter that notes, at every permit asked for, the requests its runs said were left. */
function workWatchedLimiter(): { limiter: OrgLimiter; seen: (number | undefined)[] } {
  const limiter = fastLimiter();
  const seen: (number | undefined)[] = [];
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = (signal) => {
    seen.push(limiter.requestsLeft);
    return acquire(signal);
  };
  return { limiter, seen };
}

/** Resolves once `ready()` holds, checking every 10 ms (fails the test after 10 s). */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 10) {
    if (waited > 10_000) throw new Error('waited 10 s for a condition that never held');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function options(overrides: Partial<UploadRunOptions> & { server: FakeGenesys }): UploadRunOptions {
  return {
    runId: 'run-1',
    runDir: tempRunDir(),
    orgName: 'Test org',
    contactListId: 'list-1',
    source: rows(25),
    limiter: fastLimiter(),
    tokenSource: new FakeTokens(),
    transport: overrides.server,
    batchLimits: { maxContacts: 4 },
    retryBackoff: { baseDelayMs: 1, maxDelayMs: 2 },
    metricsIntervalMs: 100,
    ...overrides,
  };
}

describe('UploadRun', () => {
  it('uploads every row once and the invariant holds', async () => {
    const server = new FakeGenesys();
    const run = new UploadRun(options({ server }));
    const summary = await run.start();
    expect(summary).toMatchObject({ state: 'completed', rowsRead: 25, uploaded: 25, requests: 7 });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    expect(server.contacts.size).toBe(25);
    expect(server.sentIds).toHaveLength(25);
  });

  it("tells the limiter the requests it has left, a retry's included, and withdraws them at the end", async () => {
    const faults: FakeAnswer[] = ['ok', '429', '500'];
    const server = new FakeGenesys((i) => faults[i] ?? 'ok');
    const { limiter, seen } = workWatchedLimiter();
    const run = new UploadRun(options({ server, limiter, totalRows: 25 }));
    const summary = await run.start();
    expect(summary).toMatchObject({ state: 'completed', uploaded: 25 });
    // 25 rows in batches of 4: seven requests, counted down as batches settle, never below the
    // batches unsettled (the 429's and the 5xx's resends among them)
    expect(seen[0]).toBe(7);
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1] ?? 0);
    expect(seen.length).toBe(9);
    expect(seen[seen.length - 1]).toBeGreaterThanOrEqual(1);
    expect(limiter.requestsLeft).toBeUndefined();
  });

  it('registers nothing when the row count is unknown until every row is read', async () => {
    const server = new FakeGenesys();
    const { limiter, seen } = workWatchedLimiter();
    await new UploadRun(options({ server, limiter })).start();
    expect(seen[0]).toBeUndefined();
    expect(limiter.requestsLeft).toBeUndefined();
  });

  it("keeps an org's work left unknown while a run on it cannot count its own", async () => {
    const server = new FakeGenesys();
    const { limiter, seen } = workWatchedLimiter();
    // another run on the same org knows its 50 requests; this one cannot tell until it has read
    // its file, and a sum without its share would say the org's work ends sooner than it does
    const other = limiter.registerWork(50);
    const summary = await new UploadRun(options({ server, limiter })).start();
    expect(summary).toMatchObject({ state: 'completed', uploaded: 25 });
    expect(seen[0]).toBeUndefined();
    expect(limiter.requestsLeft).toBe(50);
    other.withdraw();
    expect(limiter.requestsLeft).toBeUndefined();
  });

  it("counts the source's rough row count as its work until every row is read, but not in a retry of failed rows", async () => {
    let healthy = false;
    const server = new FakeGenesys(() => (healthy ? 'ok' : '500'));
    const { limiter, seen } = workWatchedLimiter();
    // the estimate says 40 rows (10 batches of 4) where the file holds 10
    const first = await new UploadRun(
      options({ server, limiter, source: rows(10), estimatedRows: () => 40, giveUpAfterMs: 20 }),
    ).start();
    expect(seen[0]).toBe(10);
    expect(limiter.requestsLeft).toBeUndefined();
    expect(first).toMatchObject({ uploaded: 0, failed: 10 });
    healthy = true;
    // a retry reads its failed rows from the journal: the file's estimate is no count of them
    seen.length = 0;
    const retried = await new UploadRun(
      options({
        server,
        limiter,
        source: rows(10),
        runDir: first.runDir,
        mode: 'retry-failed',
        estimatedRows: () => 40,
      }),
    ).start();
    expect(retried).toMatchObject({ state: 'completed', uploaded: 10, failed: 0 });
    expect(seen.length).toBeGreaterThan(0);
    for (const left of seen) expect(left === undefined || left <= 3).toBe(true);
    expect(limiter.requestsLeft).toBeUndefined();
  });

  it("leaves the rejects the file's count foresaw out of its work: they are read, never sent", async () => {
    const server = new FakeGenesys();
    const { limiter, seen } = workWatchedLimiter();
    // 24 rows, the last 12 refused by the mapping: three batches of 4 to send, not six
    const source = rows(24, (n) =>
      n > 12 ? { ok: false, reason: 'no phone', contact: undefined } : {},
    );
    const summary = await new UploadRun(
      options({ server, limiter, source, totalRows: 24, expectedRejects: 12 }),
    ).start();
    expect(summary).toMatchObject({ state: 'completed', uploaded: 12, rejected: 12 });
    expect(seen[0]).toBe(3);
    expect(seen).toHaveLength(3);
    expect(limiter.requestsLeft).toBeUndefined();
  });

  it("reports the file's count and an ETA from the first ticks, before the reader reaches the end", async () => {
    const server = new FakeGenesys();
    const ticks: RunMetrics[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // 30 rows, the last 6 refused. The reader starts once a first tick (nothing uploaded) is
    // out, so a later one measures a rate, and stops at row 13 until the test lets it go on.
    const source = async function* (): AsyncGenerator<SourceRow> {
      await until(() => ticks.length > 0);
      for (let n = 1; n <= 30; n += 1) {
        if (n === 13) await gate;
        yield n > 24
          ? { rowNumber: n, ok: false, reason: 'no phone' }
          : { rowNumber: n, ok: true, contact: { id: `c${n}`, data: { Name: 'x' } } };
      }
    };
    const run = new UploadRun(options({ server, source, totalRows: 30, expectedRejects: 6 }));
    run.on((event) => {
      if (event.type === 'metrics') ticks.push(event.metrics);
    });
    const done = run.start();
    const timedTick = (tick: RunMetrics) => tick.uploaded === 12 && tick.rowsPerSecond > 0;
    await until(() => ticks.some(timedTick));
    const early = [...ticks];
    release();
    const summary = await done;
    expect(summary).toMatchObject({ state: 'completed', uploaded: 24, rejected: 6 });
    for (const tick of early) expect(tick.totalRows).toBe(30);
    // 12 uploaded, 12 to send: the 6 rejects to come are no time left
    const timed = early.find(timedTick);
    expect(timed?.rowsRead).toBe(12);
    expect(timed?.etaMs).toBeCloseTo((12 / (timed?.rowsPerSecond ?? 1)) * 1000, 6);
    expect(ticks.at(-1)).toMatchObject({ totalRows: 30, uploaded: 24, rejected: 6 });
  });

  it('has no total or ETA before the reader ends when no count was given, then the rows read', async () => {
    const server = new FakeGenesys();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const source = async function* (): AsyncGenerator<SourceRow> {
      for (let n = 1; n <= 20; n += 1) {
        if (n === 9) await gate;
        yield { rowNumber: n, ok: true, contact: { id: `c${n}`, data: { Name: 'x' } } };
      }
    };
    const run = new UploadRun(options({ server, source, estimatedRows: () => 400 }));
    const ticks: RunMetrics[] = [];
    run.on((event) => {
      if (event.type === 'metrics') ticks.push(event.metrics);
    });
    const done = run.start();
    await until(() => ticks.filter((tick) => tick.uploaded === 8).length >= 2);
    const early = [...ticks];
    release();
    await done;
    // the source's rough count prices probes only: it is no total to show
    for (const tick of early) expect(tick).not.toHaveProperty('totalRows');
    for (const tick of early) expect(tick).not.toHaveProperty('etaMs');
    expect(ticks.at(-1)).toMatchObject({ totalRows: 20, uploaded: 20 });
  });

  it('retries 429, 5xx, network errors and lost responses without losing a row', async () => {
    const faults: FakeAnswer[] = ['429', '500', 'network', 'commit-then-drop', '429', '500'];
    const server = new FakeGenesys((i) => faults[i] ?? (i % 3 === 0 ? 'commit-then-drop' : 'ok'));
    const summary = await new UploadRun(options({ server, source: rows(40) })).start();
    expect(summary).toMatchObject({ state: 'completed', uploaded: 40, failed: 0 });
    expect(summary.throttled).toBeGreaterThanOrEqual(2);
    expect(summary.retries).toBeGreaterThanOrEqual(6);
    expect(summary.invariant.holds).toBe(true);
    expect([...server.contacts.keys()].sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `c${i + 1}`).sort(),
    );
  });

  it('bisects a 400 down to the bad rows and uploads the rest', async () => {
    const server = new FakeGenesys();
    const bad = new Set([3, 10, 11]);
    const source = async function* (): AsyncGenerator<SourceRow> {
      for (let n = 1; n <= 16; n += 1) {
        const data: Record<string, string> = bad.has(n)
          ? { Name: `n${n}`, Bad: '=cmd' }
          : { Name: `n${n}` };
        yield { rowNumber: n, ok: true, contact: { id: `c${n}`, data } };
      }
    };
    const batches: RunEvent[] = [];
    const run = new UploadRun(options({ server, source, batchLimits: { maxContacts: 8 } }));
    run.on((event) => event.type === 'batch' && batches.push(event));
    const summary = await run.start();
    expect(summary).toMatchObject({ uploaded: 13, rejected: 3, failed: 0 });
    expect(summary.invariant.holds).toBe(true);
    expect([...server.contacts.keys()].some((id) => ['c3', 'c10', 'c11'].includes(id))).toBe(false);
    const csv = readFileSync(join(summary.runDir, 'rejected-rows.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('row,contactId,reason,status,code,correlationId,Name,Bad');
    expect(csv[1]).toMatch(/^3,c3,Contact c3 has a bad value,400,bad.request,corr-\d+,n3,'=cmd$/);
    expect(csv.filter((line) => line !== '')).toHaveLength(4);
  });

  it('counts validation rejects and duplicate ids in the accounting', async () => {
    const server = new FakeGenesys();
    const source = async function* (): AsyncGenerator<SourceRow> {
      yield { rowNumber: 1, ok: true, contact: { id: 'a', data: { Name: 'x' } } };
      yield {
        rowNumber: 2,
        ok: false,
        reason: "Phone '555-01' is not a valid number",
        data: { Phone: '555-01' },
      };
      yield { rowNumber: 3, ok: true, contact: { id: 'a', data: { Name: 'again' } } };
      yield { rowNumber: 4, ok: true, contact: { id: 'b', data: { Name: 'y' } } };
    };
    const summary = await new UploadRun(options({ server, source })).start();
    expect(summary).toMatchObject({ rowsRead: 4, uploaded: 2, rejected: 1, skipped: 1, failed: 0 });
    expect(summary.invariant.holds).toBe(true);
  });

  it('refreshes the token once on 401', async () => {
    const server = new FakeGenesys((i) => (i === 0 ? '401' : 'ok'));
    const tokens = new FakeTokens();
    const summary = await new UploadRun(options({ server, tokenSource: tokens })).start();
    expect(tokens.invalidations).toBe(1);
    expect(summary).toMatchObject({ state: 'completed', uploaded: 25 });
  });

  it('stops on 404 with a consultant-readable reason and parks unsent rows as failed', async () => {
    const server = new FakeGenesys((i) => (i >= 2 ? '404' : 'ok'));
    const summary = await new UploadRun(options({ server })).start();
    expect(summary.state).toBe('stopped');
    expect(summary.stateReason).toMatch(/list-1 was not found/);
    expect(summary.uploaded).toBe(8);
    expect(summary.failed).toBe(summary.rowsRead - 8);
    expect(summary.invariant.holds).toBe(true);
    const failed = readFileSync(join(summary.runDir, 'failed-rows.csv'), 'utf8');
    expect(failed).toMatch(/was not found/);
  });

  it('parks a batch as failed after the give-up time, with the last error', async () => {
    const server = new FakeGenesys(() => '500');
    const summary = await new UploadRun(
      options({ server, source: rows(3), giveUpAfterMs: 30 }),
    ).start();
    expect(summary).toMatchObject({ state: 'completed', failed: 3, uploaded: 0 });
    expect(summary.invariant.holds).toBe(true);
    expect(readFileSync(join(summary.runDir, 'failed-rows.csv'), 'utf8')).toMatch(
      /Gave up after .*boom/,
    );
  });

  it('pauses, resumes in-process, and emits coalesced metrics', async () => {
    const server = new FakeGenesys();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const source = async function* (): AsyncGenerator<SourceRow> {
      for (let n = 1; n <= 30; n += 1) {
        if (n === 13) await gate;
        yield { rowNumber: n, ok: true, contact: { id: `c${n}`, data: { Name: 'x' } } };
      }
    };
    const run = new UploadRun(options({ server, source }));
    const states: string[] = [];
    const ticks: Array<{ elapsedMs: number; state: string }> = [];
    run.on((event) => {
      if (event.type === 'state') states.push(event.state);
      if (event.type === 'metrics') ticks.push(event.metrics);
    });
    const first = run.start();
    await new Promise((resolve) => setTimeout(resolve, 250));
    run.pause();
    release();
    const paused = await first;
    expect(paused.state).toBe('paused');
    expect(paused.uploaded).toBeLessThan(30);
    const done = await run.resume();
    expect(done).toMatchObject({ state: 'completed', uploaded: 30 });
    expect(done.invariant.holds).toBe(true);
    expect(states).toEqual(['running', 'pausing', 'paused', 'running', 'completed']);
    // at most one tick per 100 ms of the run's clock, except the tick that ends a session
    const settledStates = new Set(['paused', 'completed']);
    for (let i = 1; i < ticks.length; i += 1) {
      const tick = ticks[i];
      const previous = ticks[i - 1];
      if (!tick || !previous || settledStates.has(tick.state)) continue;
      expect(tick.elapsedMs - previous.elapsedMs).toBeGreaterThanOrEqual(100);
    }
    expect(ticks.at(-1)).toMatchObject({ state: 'completed', uploaded: 30, pending: 0 });
  });

  it('cancels: unacknowledged rows become failed, as never sent when Genesys only refused them', async () => {
    const server = new FakeGenesys(() => '429');
    const run = new UploadRun(options({ server, source: rows(10) }));
    const done = run.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    run.cancel();
    const summary = await done;
    expect(summary).toMatchObject({ state: 'cancelled', uploaded: 0, failed: 10, notSent: 10 });
    expect(summary.invariant.holds).toBe(true);
    // The run's headline speaks of the run, not of "this row"; each row keeps the row's reason.
    expect(summary.stateReason).toBe(
      'The run was cancelled. 10 rows read before the cancel were never sent; resuming the run sends them with the rows it never read.',
    );
  });

  it('stops on 403 and says which permission is missing', async () => {
    const server = new FakeGenesys(() => '403');
    const summary = await new UploadRun(options({ server, source: rows(6) })).start();
    expect(summary).toMatchObject({ state: 'stopped', uploaded: 0, failed: 6 });
    expect(summary.stateReason).toMatch(/outbound:contact:add/);
    expect(summary.invariant.holds).toBe(true);
  });

  it('retry-failed sends only the failed rows again, from the journal', async () => {
    let healthy = false;
    const server = new FakeGenesys(() => (healthy ? 'ok' : '500'));
    const first = await new UploadRun(
      options({ server, source: rows(10), giveUpAfterMs: 20 }),
    ).start();
    expect(first).toMatchObject({ uploaded: 0, failed: 10 });
    healthy = true;
    const sentBefore = server.sentIds.length;
    const retried = await new UploadRun(
      options({ server, source: rows(10), runDir: first.runDir, mode: 'retry-failed' }),
    ).start();
    expect(retried).toMatchObject({ state: 'completed', rowsRead: 10, uploaded: 10, failed: 0 });
    expect(retried.invariant.holds).toBe(true);
    expect(server.sentIds.slice(sentBefore).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `c${i + 1}`).sort(),
    );
    expect(
      readFileSync(join(first.runDir, 'failed-rows.csv'), 'utf8').trim().split('\r\n'),
    ).toHaveLength(1);
  });

  it('rejects a contact larger than a whole request without sending it', async () => {
    const server = new FakeGenesys();
    const source = async function* (): AsyncGenerator<SourceRow> {
      yield { rowNumber: 1, ok: true, contact: { id: 'big', data: { Name: 'x'.repeat(500) } } };
      yield { rowNumber: 2, ok: true, contact: { id: 'small', data: { Name: 'y' } } };
    };
    const summary = await new UploadRun(
      options({ server, source, batchLimits: { maxContacts: 10, maxBytes: 200 } }),
    ).start();
    expect(summary).toMatchObject({ uploaded: 1, rejected: 1 });
    expect(server.sentIds).toEqual(['small']);
  });
});
