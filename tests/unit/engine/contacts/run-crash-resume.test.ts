import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../../core/engine/journal/journal';
import type { JournalRecord } from '../../../../core/engine/journal/journal-records';
import { OrgLimiter } from '../../../../core/engine/throttle/org-limiter';
import { UploadRun } from '../../../../core/engine/contacts/contacts-run';
import type { JournalSink } from '../../../../core/engine/journal/run-ledger';
import type { SourceRow } from '../../../../core/engine/types';
import { FakeGenesys, FakeTokens } from '../fake-genesys';

const root = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ROWS = 22;
const BAD_ROW = 7;

async function* source(): AsyncGenerator<SourceRow> {
  for (let n = 1; n <= ROWS; n += 1) {
    if (n === 15) {
      yield { rowNumber: n, ok: false, reason: 'Phone is empty', data: { Name: `n${n}` } };
      continue;
    }
    const data: Record<string, string> =
      n === BAD_ROW ? { Name: 'bad', Bad: 'x' } : { Name: `n${n}` };
    yield { rowNumber: n, ok: true, contact: { id: `c${n}`, data } };
  }
}

/** A journal that dies at its `crashAt`-th commit, optionally leaving half a line behind. */
class CrashingSink implements JournalSink {
  private buffered: string[] = [];
  private commits = 0;
  private dead = false;

  /** Commits that reached the file. */
  get committed(): number {
    return this.commits;
  }

  constructor(
    private readonly path: string,
    private readonly crashAt: number,
    private readonly torn: boolean,
  ) {}

  record(entry: JournalRecord): void {
    if (this.dead) throw new Error('process is dead');
    this.buffered.push(`${JSON.stringify(entry)}\n`);
  }

  commit(): void {
    if (this.dead) throw new Error('process is dead');
    // Like the real journal, a commit with nothing buffered writes nothing: no step to crash at.
    if (this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    if (this.commits === this.crashAt) {
      this.dead = true;
      if (this.torn) {
        // half the text, and never a cut that happens to fall right after a whole line
        let cut = Math.floor(text.length / 2);
        if (text[cut - 1] === '\n') cut += 1;
        appendFileSync(this.path, text.slice(0, cut));
      }
      throw new Error('simulated crash');
    }
    appendFileSync(this.path, text);
    this.commits += 1;
  }

  close(): void {}
}

/**
 * The fake server, answering each request on a later turn of the event loop as a network
 * would: acknowledgements then arrive in several turns, so the journal commits several groups
 * of batches and a crash can fall between them.
 */
class NetworkFake extends FakeGenesys {
  override async postContacts(
    request: Parameters<FakeGenesys['postContacts']>[0],
  ): ReturnType<FakeGenesys['postContacts']> {
    await new Promise((resolve) => setImmediate(resolve));
    return super.postContacts(request);
  }
}

function runOn(
  runDir: string,
  server: FakeGenesys,
  openJournal?: (dir: string) => JournalSink,
): UploadRun {
  return new UploadRun({
    runId: 'r',
    runDir,
    orgName: 'Org',
    contactListId: 'L',
    source,
    limiter: new OrgLimiter({
      rateController: { initialRatePerSecond: 10_000, maxRatePerSecond: 100_000 },
    }),
    tokenSource: new FakeTokens(),
    transport: server,
    batchLimits: { maxContacts: 3 },
    ...(openJournal ? { openJournal } : {}),
  });
}

/** How many commits a run without a crash makes: the steps a crash can hit. */
let calibrations = 0;
async function realCommits(): Promise<number> {
  calibrations += 1;
  const runDir = join(root, `no-crash-${calibrations}`);
  let sink: CrashingSink | undefined;
  const summary = await runOn(runDir, new NetworkFake(), (dir) => {
    sink = new CrashingSink(join(dir, 'journal.ndjson'), Number.POSITIVE_INFINITY, false);
    return sink;
  }).start();
  if (summary.state !== 'completed' || !sink) throw new Error('the run without a crash failed');
  return sink.committed;
}

// The fewest commits of a few runs: groups of acknowledgements follow the event loop, so a
// step every run reaches is a step where a crash really happens.
const COMMITS = Math.min(...(await Promise.all([1, 2, 3].map(() => realCommits()))));

describe('resume after a crash at every journal step', () => {
  it('has steps to crash at: a start, batches, an end', () => {
    // 22 rows in batches of 3: the session start, more than one group of batches, the end.
    expect(COMMITS).toBeGreaterThanOrEqual(4);
  });

  const steps = Array.from({ length: COMMITS }, (_, i) => i).flatMap((crashAt) => [
    { crashAt, torn: false },
    { crashAt, torn: true },
  ]);

  it.each(steps)('crash at commit $crashAt (torn line: $torn)', async ({ crashAt, torn }) => {
    const runDir = join(root, `crash-${crashAt}-${torn}`);
    const server = new NetworkFake();
    const first = runOn(
      runDir,
      server,
      (dir) => new CrashingSink(join(dir, 'journal.ndjson'), crashAt, torn),
    );
    const crashed = await first.start().then(
      () => false,
      () => true,
    );
    // Every step is one the run really reaches: a step past its last commit would quietly be a
    // run without a crash.
    expect(crashed).toBe(true);

    const before = readJournal(runDir);
    expect(before.tornTail).toBe(torn);
    const acknowledged = [...before.outcomes]
      .filter(([, o]) => o === 'uploaded')
      .map(([row]) => `c${row}`);
    const sentBefore = server.sentIds.length;

    const summary = await runOn(runDir, server).start();
    const resent = server.sentIds.slice(sentBefore);

    expect(summary.state).toBe('completed');
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    expect(summary).toMatchObject({ rowsRead: ROWS, uploaded: ROWS - 2, rejected: 2, failed: 0 });
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1)
      .filter((n) => n !== BAD_ROW && n !== 15)
      .map((n) => `c${n}`)
      .sort();
    expect([...server.contacts.keys()].sort()).toEqual(expected);
    // nothing acknowledged before the crash is sent again, and everything not acknowledged is
    for (const id of acknowledged) expect(resent).not.toContain(id);
    for (const id of expected.filter((id) => !acknowledged.includes(id)))
      expect(resent).toContain(id);
  });
});
