import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal, JournalWriter } from '../../../../core/engine/journal/journal';
import { RunLedger, type JournalSink } from '../../../../core/engine/journal/run-ledger';
import type { JournalRecord } from '../../../../core/engine/journal/journal-records';
import type { PendingRow } from '../../../../core/engine/types';

const root = mkdtempSync(join(tmpdir(), 'sluice-ledger-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
function runDir(): string {
  runs += 1;
  return join(root, `run-${runs}`);
}

/** The real journal writer, counting the commits that wrote something (one fsync each). */
class CountingSink implements JournalSink {
  fsyncs = 0;
  private pending = 0;
  failNext = false;
  constructor(private readonly writer: JournalWriter) {}
  record(entry: JournalRecord): void {
    this.pending += 1;
    this.writer.record(entry);
  }
  commit(): void {
    if (this.pending === 0) return;
    if (this.failNext) throw new Error('EIO: the disk failed');
    this.pending = 0;
    this.fsyncs += 1;
    this.writer.commit();
  }
  close(): void {
    this.writer.close();
  }
}

/** How long an acknowledgement waits for others to share its fsync, in these tests. */
const GROUP_MS = 30;

function open(): { dir: string; sink: CountingSink; ledger: RunLedger } {
  const dir = runDir();
  mkdirSync(dir, { recursive: true });
  const sink = new CountingSink(JournalWriter.open(dir));
  return { dir, sink, ledger: new RunLedger(dir, sink, GROUP_MS) };
}

function rows(first: number, count: number): PendingRow[] {
  return Array.from({ length: count }, (_, index) => ({
    rowNumber: first + index,
    contact: { id: `c${first + index}`, data: {} },
    json: '{}',
  }));
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const groupDone = () => new Promise((resolve) => setTimeout(resolve, GROUP_MS + 20));

function uploadedOnDisk(dir: string): number {
  return [...readJournal(dir).outcomes.values()].filter((outcome) => outcome === 'uploaded').length;
}

describe('run ledger group commit', () => {
  it('commits the batches acknowledged within a group with one fsync, and counts them only then', async () => {
    const { dir, sink, ledger } = open();
    for (const row of [1, 2, 3, 4, 5, 6, 7, 8]) ledger.markRead(row);
    // answers of a paced run, each in a turn of the event loop of its own
    ledger.uploaded('b1', rows(1, 2));
    await nextTurn();
    ledger.uploaded('b2', rows(3, 2));
    await nextTurn();
    ledger.uploaded('b3', rows(5, 2));
    // Not on disk yet, so not counted: the ledger never shows more than the journal holds.
    expect(ledger.totals()).toMatchObject({ uploaded: 0, pending: 8 });
    expect(uploadedOnDisk(dir)).toBe(0);
    expect(sink.fsyncs).toBe(0);
    await groupDone();
    expect(sink.fsyncs).toBe(1);
    expect(uploadedOnDisk(dir)).toBe(6);
    expect(ledger.totals()).toMatchObject({ uploaded: 6, pending: 2 });

    ledger.uploaded('b4', rows(7, 2));
    await groupDone();
    expect(sink.fsyncs).toBe(2);
    expect(ledger.totals()).toMatchObject({ uploaded: 8, pending: 0 });
    ledger.close();
  });

  it('an earlier commit (a session marker, a failure) carries the waiting batches with it', () => {
    const { dir, sink, ledger } = open();
    for (const row of [1, 2, 3]) ledger.markRead(row);
    ledger.uploaded('b1', rows(1, 2));
    ledger.settle('failed', 'b2', [{ rowNumber: 3 }], { status: 0, reason: 'cancelled' });
    expect(sink.fsyncs).toBe(1);
    expect(ledger.totals()).toMatchObject({ uploaded: 2, failed: 1, pending: 0 });
    expect(uploadedOnDisk(dir)).toBe(2);
    ledger.close();
  });

  it('a failed group commit counts nothing of its group and fails the run at its next write', async () => {
    const { dir, sink, ledger } = open();
    for (const row of [1, 2, 3, 4]) ledger.markRead(row);
    sink.failNext = true;
    ledger.uploaded('b1', rows(1, 2));
    await groupDone();
    expect(ledger.totals()).toMatchObject({ uploaded: 0, pending: 4 });
    expect(uploadedOnDisk(dir)).toBe(0);
    expect(() => ledger.uploaded('b2', rows(3, 2))).toThrow(/EIO/);
    expect(() => ledger.session('end', 'completed')).toThrow(/EIO/);
  });
});

describe('run ledger totals', () => {
  it('moves a row between the counts when its outcome changes, and a reopened ledger counts what the journal holds', () => {
    const { dir, ledger } = open();
    for (const row of [1, 2, 3, 4]) ledger.markRead(row);
    ledger.settle('failed', 'b1', [{ rowNumber: 1 }, { rowNumber: 2 }], {
      status: 503,
      reason: 'x',
    });
    ledger.settle('rejected', 'b2', [{ rowNumber: 3 }], { status: 400, reason: 'bad phone' });
    ledger.settle('skipped', '', [{ rowNumber: 4 }], { status: 0, reason: 'same id' });
    expect(ledger.totals()).toEqual({
      rowsRead: 4,
      uploaded: 0,
      rejected: 1,
      failed: 2,
      skipped: 1,
      pending: 0,
    });
    // a retry of the failed rows: one goes through, one fails again
    ledger.uploaded('r1', rows(1, 1));
    ledger.settle('failed', 'r2', [{ rowNumber: 2 }], { status: 503, reason: 'again' });
    expect(ledger.totals()).toMatchObject({ uploaded: 1, rejected: 1, failed: 1, skipped: 1 });
    ledger.close();

    const reopened = new RunLedger(dir, JournalWriter.open(dir));
    for (const row of [1, 2, 3, 4]) reopened.markRead(row);
    expect(reopened.totals()).toEqual({
      rowsRead: 4,
      uploaded: 1,
      rejected: 1,
      failed: 1,
      skipped: 1,
      pending: 0,
    });
    reopened.settle('failed', 'r3', [{ rowNumber: 1 }], { status: 0, reason: 'cancelled' });
    expect(reopened.totals()).toMatchObject({ uploaded: 0, failed: 2 });
    reopened.close();
  });
});
