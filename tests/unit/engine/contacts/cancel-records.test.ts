import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CANCELLED_NOT_SENT_CODE, type RunSummary } from '../../../../core/contract/runs';
import { UploadRun, type UploadRunOptions } from '../../../../core/engine/contacts/contacts-run';
import { readJournal } from '../../../../core/engine/journal/journal';
import type { JournalRecord } from '../../../../core/engine/journal/journal-records';
import type { JournalSink } from '../../../../core/engine/journal/run-ledger';
import { OrgLimiter } from '../../../../core/engine/throttle/org-limiter';
import type { SourceRow } from '../../../../core/engine/types';
import { FakeGenesys, FakeTokens, type FakeAnswer } from '../fake-genesys';

// A cancel records the rows it never sent apart from the rows sent without an answer, and a
// resume sends the first kind with the rows never read, once each (docs/ARCHITECTURE.md,
// "Cancel and the rest of the file").

const root = mkdtempSync(join(tmpdir(), 'sluice-cancel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

const ROWS = 40;
/** Rows the reader reaches before it waits for `release` (the rest are never read before the cancel). */
const READ_BEFORE_GATE = 24;

/** The file: rows 1..40, the reader held before row 25 until `release()`. */
function gatedSource(): { source: () => AsyncIterable<SourceRow>; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = true;
  return {
    release: () => {
      held = false;
      release();
    },
    source: async function* () {
      for (let n = 1; n <= ROWS; n += 1) {
        if (held && n === READ_BEFORE_GATE + 1) await gate;
        yield { rowNumber: n, ok: true, contact: { id: `c${n}`, data: { Name: `n${n}` } } };
      }
    },
  };
}

function allRows(): () => AsyncIterable<SourceRow> {
  const { source, release } = gatedSource();
  release();
  return source;
}

function runOn(
  runDir: string,
  server: FakeGenesys,
  source: () => AsyncIterable<SourceRow>,
  extra: Partial<UploadRunOptions> = {},
): UploadRun {
  return new UploadRun({
    runId: 'r',
    runDir,
    orgName: 'Org',
    contactListId: 'L',
    source,
    limiter: new OrgLimiter({
      rateController: { initialRatePerSecond: 10_000, maxRatePerSecond: 100_000 },
      backoff: { baseDelayMs: 1, maxDelayMs: 2 },
    }),
    tokenSource: new FakeTokens(),
    transport: server,
    batchLimits: { maxContacts: 4 },
    retryBackoff: { baseDelayMs: 1, maxDelayMs: 2 },
    workers: 1,
    ...extra,
  });
}

async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 5) {
    if (waited > 10_000) throw new Error('waited 10 s for a condition that never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Runs the gated file and cancels it once the server has had `requestsBeforeCancel` requests:
 * the first two acknowledged (rows 1-8), the third answered per `third` (rows 9-12), then 429s.
 */
async function cancelledRun(
  third: FakeAnswer,
  openJournal?: (dir: string) => JournalSink,
): Promise<{ runDir: string; server: FakeGenesys; ended: RunSummary | Error }> {
  runs += 1;
  const runDir = join(root, `run-${runs}`);
  const server = new FakeGenesys((i) => (i < 2 ? 'ok' : i === 2 ? third : '429'));
  const { source, release } = gatedSource();
  const run = runOn(runDir, server, source, openJournal ? { openJournal } : {});
  const done = run.start().then(
    (summary) => summary,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  await until(() => server.requests >= 5);
  run.cancel();
  release();
  return { runDir, server, ended: await done };
}

function failedCodes(runDir: string): Map<number, string | undefined> {
  const journal = readJournal(runDir);
  const codes = new Map<number, string | undefined>();
  for (const [row, outcome] of journal.outcomes)
    if (outcome === 'failed') codes.set(row, journal.details.get(row)?.code);
  return codes;
}

const ids = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `c${from + i}`);

describe('a cancel', () => {
  it('records rows whose requests drew only refusals (429) or never went out as never sent', async () => {
    const { runDir, ended } = await cancelledRun('429');
    const summary = ended as RunSummary;
    expect(summary.state).toBe('cancelled');
    expect(summary.invariant.holds).toBe(true);
    expect(summary.uploaded).toBe(8);
    // rows 9.. were read (the reader runs ahead of the one worker), none of them stored
    expect(summary.rowsRead).toBeGreaterThan(12);
    expect(summary.rowsRead).toBeLessThan(ROWS);
    expect(summary.failed).toBe(summary.rowsRead - 8);
    expect(summary.notSent).toBe(summary.failed);
    const codes = failedCodes(runDir);
    expect(new Set(codes.values())).toEqual(new Set([CANCELLED_NOT_SENT_CODE]));
    expect(summary.stateReason).toBe(
      `The run was cancelled. ${summary.notSent} rows read before the cancel were never sent; resuming the run sends them with the rows it never read.`,
    );
  });

  it('keeps a batch that drew a 5xx (maybe stored) apart, for a retry', async () => {
    const { runDir, ended } = await cancelledRun('500');
    const summary = ended as RunSummary;
    expect(summary).toMatchObject({ state: 'cancelled', uploaded: 8 });
    expect(summary.notSent).toBe(summary.failed - 4);
    const codes = failedCodes(runDir);
    for (const row of [9, 10, 11, 12]) expect(codes.get(row)).toBe('cancelled-unconfirmed');
    for (const [row, code] of codes) if (row > 12) expect(code).toBe(CANCELLED_NOT_SENT_CODE);
    expect(summary.stateReason).toContain(
      '4 rows sent without a confirmed answer are recorded as failed, for a retry.',
    );
  });
});

describe('resuming a cancelled run', () => {
  it('sends the rows never sent and the rows never read, once each, and nothing acknowledged', async () => {
    const { runDir, server, ended } = await cancelledRun('500');
    const cancelled = ended as RunSummary;
    const sentBefore = server.sentIds.length;
    // answers 40 ms apart, so the live numbers tick while the rows go
    const healthy = new (class extends FakeGenesys {
      override async postContacts(request: { bodyJson: string; accessToken: string }) {
        await new Promise((resolve) => setTimeout(resolve, 40));
        return super.postContacts(request);
      }
    })();
    const resume = runOn(runDir, healthy, allRows(), { metricsIntervalMs: 100 });
    // the live numbers say how many of the failed rows this session sends again, fewer each tick
    const notSentTicks: number[] = [];
    resume.on((event) => {
      if (event.type === 'metrics') notSentTicks.push(event.metrics.notSent ?? 0);
    });
    const summary = await resume.start();
    expect(notSentTicks[0]).toBeGreaterThan(0);
    expect(notSentTicks[0]).toBeLessThanOrEqual(cancelled.notSent ?? 0);
    expect(notSentTicks).toEqual([...notSentTicks].sort((a, b) => b - a));
    expect(notSentTicks.at(-1)).toBe(0);
    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: ROWS,
      uploaded: ROWS - 4,
      failed: 4,
      notSent: 0,
    });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    // rows 1-8 acknowledged, 9-12 maybe stored: neither sent again; every other row once
    expect([...healthy.sentIds].sort()).toEqual(ids(13, ROWS).sort());
    expect(server.sentIds.length).toBe(sentBefore);
    expect(cancelled.notSent).toBeGreaterThan(0);
    const codes = failedCodes(runDir);
    expect([...codes.keys()].sort((a, b) => a - b)).toEqual([9, 10, 11, 12]);
  });

  it('after a second cancel, sends what both cancels left', async () => {
    const { runDir } = await cancelledRun('429');
    // the resume's server refuses everything, and the resume is cancelled too
    const refusing = new FakeGenesys(() => '429');
    const { source, release } = gatedSource();
    const resume = runOn(runDir, refusing, source);
    const second = resume.start();
    await until(() => refusing.requests >= 2);
    resume.cancel();
    release();
    const again = await second;
    expect(again).toMatchObject({ state: 'cancelled', uploaded: 8 });
    expect(again.notSent).toBe(again.rowsRead - 8);
    const healthy = new FakeGenesys();
    const done = await runOn(runDir, healthy, allRows()).start();
    expect(done).toMatchObject({ state: 'completed', uploaded: ROWS, failed: 0 });
    expect([...healthy.sentIds].sort()).toEqual(ids(9, ROWS).sort());
  });
});

/** A journal that dies at the first commit holding `marker`; the lines before it are on disk. */
class CrashAtSink implements JournalSink {
  private buffered: string[] = [];
  private dead = false;
  constructor(
    private readonly path: string,
    private readonly marker: string,
  ) {}
  record(entry: JournalRecord): void {
    if (this.dead) throw new Error('process is dead');
    this.buffered.push(`${JSON.stringify(entry)}\n`);
  }
  commit(): void {
    if (this.dead) throw new Error('process is dead');
    const text = this.buffered.join('');
    this.buffered = [];
    if (text.includes(this.marker)) {
      this.dead = true;
      throw new Error('simulated crash');
    }
    appendFileSync(this.path, text);
  }
  close(): void {}
}

describe('a process killed during the cancel', () => {
  it.each([
    { at: "the cancel's records", marker: CANCELLED_NOT_SENT_CODE, recorded: false },
    { at: "the session's end", marker: '"event":"end"', recorded: true },
  ])(
    'at $at resumes without sending an acknowledged row again or losing one',
    async ({ marker, recorded }) => {
      const { runDir, server, ended } = await cancelledRun(
        '429',
        (dir) => new CrashAtSink(join(dir, 'journal.ndjson'), marker),
      );
      expect(ended).toBeInstanceOf(Error);
      // what reached the disk: the acknowledgements of the group commits before the crash (a
      // crash loses at most the last group, docs/ARCHITECTURE.md) and nothing else
      const acknowledged = [...readJournal(runDir).outcomes]
        .filter(([, outcome]) => outcome === 'uploaded')
        .map(([row]) => `c${row}`);
      expect(ids(1, 8)).toEqual(expect.arrayContaining(acknowledged));
      // the cancel's records are on disk whole or not at all
      const codes = [...failedCodes(runDir).values()];
      if (recorded) {
        expect(codes.length).toBeGreaterThan(0);
        expect(new Set(codes)).toEqual(new Set([CANCELLED_NOT_SENT_CODE]));
      } else expect(codes).toEqual([]);
      const healthy = new FakeGenesys();
      const summary = await runOn(runDir, healthy, allRows()).start();
      expect(summary).toMatchObject({ state: 'completed', rowsRead: ROWS, uploaded: ROWS });
      expect(summary.invariant.holds).toBe(true);
      // every row not acknowledged on disk is sent once; none acknowledged is sent again
      const expected = ids(1, ROWS).filter((id) => !acknowledged.includes(id));
      expect([...healthy.sentIds].sort()).toEqual(expected.sort());
      expect(new Set([...server.contacts.keys(), ...healthy.contacts.keys()]).size).toBe(ROWS);
    },
  );
});

describe('a stop (a 403 that no retry fixes)', () => {
  it('records the rows it never sent as never sent, and resuming once the cause is fixed sends them once each', async () => {
    runs += 1;
    const runDir = join(root, `run-${runs}`);
    // rows 1-8 acknowledged, then the list's permission is gone: rows 9-12 refused with a 403
    const forbidden = new FakeGenesys((i) => (i < 2 ? 'ok' : '403'));
    const stopped = await runOn(runDir, forbidden, allRows()).start();
    expect(stopped).toMatchObject({ state: 'stopped', uploaded: 8 });
    expect(stopped.invariant.holds).toBe(true);
    expect(forbidden.requests).toBe(3);
    // the refused batch stored nothing, as the rows never sent: a resume sends them all
    expect(new Set(failedCodes(runDir).values())).toEqual(new Set([CANCELLED_NOT_SENT_CODE]));
    expect(stopped.notSent).toBe(stopped.failed);
    expect(stopped.failed).toBe(stopped.rowsRead - 8);
    expect(stopped.stateReason).toContain('outbound:contact:add');
    expect(stopped.stateReason).toContain(
      `${stopped.notSent} rows read before the stop were not stored; once that is fixed, resuming the run sends them with the rows it never read.`,
    );
    expect(readJournal(runDir).details.get(9)?.reason).toMatch(
      /^Not stored: the run stopped \(.*outbound:contact:add.*\)\. Once that is fixed, resuming the run sends it$/,
    );

    const fixed = new FakeGenesys();
    const resumed = await runOn(runDir, fixed, allRows()).start();
    expect(resumed).toMatchObject({
      state: 'completed',
      rowsRead: ROWS,
      uploaded: ROWS,
      failed: 0,
      notSent: 0,
    });
    expect(resumed.invariant).toEqual({ holds: true, problems: [] });
    // nothing acknowledged is sent again; every row the stop left, once
    expect([...fixed.sentIds].sort()).toEqual(ids(9, ROWS).sort());
  });
});
