import {
  CANCELLED_NOT_SENT_CODE,
  type FailureDetail,
  type InvariantCheck,
} from '../../contract/runs';
import { checkInvariant, countOutcomes, type OutcomeCounts, type RowTotals } from './accounting';
import { toRanges, type JournalRecord, type SettledRow } from './journal-records';
import { readJournal, JournalWriter } from './journal';
import type { PendingRow, RowOutcome } from '../types';

/** Where journal records go: the real `JournalWriter`, or a test double that simulates a crash. */
export interface JournalSink {
  record(entry: JournalRecord): void;
  commit(): void;
  close(): void;
}

/** Opens the real journal of a run folder. */
export const openJournalSink = (runDir: string): JournalSink => JournalWriter.open(runDir);

/**
 * The accounting of one run (docs/ARCHITECTURE.md, The accounting invariant): which rows were
 * read, and the one outcome of each settled row. Every settlement is journaled and committed
 * (fsync) before it counts, so the journal never claims less than the ledger showed.
 *
 * Acknowledged batches are committed in groups (docs/ARCHITECTURE.md, Why the journal survives
 * a crash): `uploaded` buffers its line and the ledger commits `groupCommitMs` after the first
 * acknowledgement of a group, for every batch acknowledged meanwhile, so a paced run's answers
 * (one every few tens of milliseconds) share an fsync instead of taking one each, and the
 * answers that arrive while an fsync blocks share the next. A batch counts as uploaded only once
 * its group's fsync returned; a commit that fails (the disk, a crash) settles nothing of its
 * group and fails every later write. Any other commit (a rejection, a session marker, the end)
 * takes the waiting group with it.
 */
export class RunLedger {
  /** The current outcome of every settled row (the ledger alone sets them, see `setOutcome`). */
  readonly outcomes: ReadonlyMap<number, RowOutcome>;
  private readonly outcomeOf: Map<number, RowOutcome>;
  /**
   * The outcomes counted as they are set, so `totals()` (every metrics tick, four a second)
   * costs the same at row 10 and at row 1,000,000 instead of a pass over every settled row.
   */
  private readonly counts: OutcomeCounts;
  readonly details: Map<number, SettledRow>;
  readonly readRows: Set<number>;
  /**
   * The failed rows a cancel recorded before their request was sent (`CANCELLED_NOT_SENT_CODE`):
   * a resume sends them again (`awaitsSending`), a retry of failed rows too.
   */
  private readonly notSentRows = new Set<number>();
  /** Sessions found in the journal when the run was opened (0 = a fresh run). */
  readonly previousSessions: number;
  /** Acknowledged batches waiting for their group's fsync, applied in order once it returns. */
  private awaitingCommit: Array<() => void> = [];
  private groupTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** The error of a commit that failed: the journal can no longer be trusted to append. */
  private failure: unknown;

  /**
   * @param groupCommitMs how long an acknowledgement waits for others to share its fsync: a
   *   quarter second, the metrics' beat, so the uploaded count on screen is never later for it
   *   (a crash loses at most that much acknowledgement, and those batches are sent again
   *   under the same contact ids: an update, not a duplicate)
   */
  constructor(
    runDir: string,
    private readonly journal: JournalSink,
    private readonly groupCommitMs = 250,
  ) {
    const replayed = readJournal(runDir);
    this.outcomeOf = replayed.outcomes;
    this.outcomes = replayed.outcomes;
    this.counts = countOutcomes(replayed.outcomes);
    this.details = replayed.details;
    this.readRows = new Set(replayed.outcomes.keys());
    this.previousSessions = replayed.sessions;
    for (const [row, detail] of replayed.details)
      if (isNotSent(replayed.outcomes.get(row), detail)) this.notSentRows.add(row);
  }

  /** Marks a row as read from the source. */
  markRead(rowNumber: number): void {
    this.readRows.add(rowNumber);
  }

  /** Whether the row already has an outcome (a resume skips it, unless it `awaitsSending`). */
  isSettled(rowNumber: number): boolean {
    return this.outcomes.has(rowNumber);
  }

  /** Whether the row is failed only because a cancel came before its request was sent. */
  awaitsSending(rowNumber: number): boolean {
    return this.notSentRows.has(rowNumber);
  }

  /** How many rows `awaitsSending`: of the failed rows, those a resume sends. */
  get notSent(): number {
    return this.notSentRows.size;
  }

  /**
   * Records that a batch is about to be sent (buffered; committed with the next settlement,
   * or now when `commit`, e.g. before a bulk import's one upload).
   */
  dispatched(
    batchId: string,
    rowNumbers: readonly number[],
    attempt: number,
    commit = false,
  ): void {
    this.throwIfFailed();
    this.journal.record({ t: 'dispatch', batch: batchId, rows: toRanges(rowNumbers), attempt });
    if (commit) this.commitNow();
  }

  /**
   * The server acknowledged these rows: journaled with the group of this turn of the event loop,
   * and counted as uploaded once that group is on disk (or at the next `commit`, whichever is
   * first). Throws when an earlier commit failed.
   */
  uploaded(batchId: string, rows: readonly PendingRow[]): void {
    this.throwIfFailed();
    const rowNumbers = rows.map((r) => r.rowNumber);
    this.journal.record({ t: 'uploaded', batch: batchId, rows: toRanges(rowNumbers) });
    this.awaitingCommit.push(() => {
      for (const row of rowNumbers) {
        this.setOutcome(row, 'uploaded');
        this.details.delete(row);
        this.notSentRows.delete(row);
      }
    });
    this.scheduleGroupCommit();
  }

  private scheduleGroupCommit(): void {
    if (this.groupTimer !== undefined) return;
    this.groupTimer = setTimeout(() => {
      this.groupTimer = undefined;
      if (this.closed || this.failure !== undefined) return;
      try {
        this.commitNow();
      } catch {
        // kept in `failure`: the next write of the run throws it
      }
    }, this.groupCommitMs);
  }

  /** Writes and fsyncs what is buffered, then counts the batches that waited for it. */
  private commitNow(): void {
    clearTimeout(this.groupTimer);
    this.groupTimer = undefined;
    this.throwIfFailed();
    const waiting = this.awaitingCommit;
    this.awaitingCommit = [];
    try {
      this.journal.commit();
    } catch (error) {
      this.failure = error;
      throw error;
    }
    for (const apply of waiting) apply();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Settles rows as rejected, failed or skipped with the reason (and their data for the CSVs). */
  settle(
    outcome: 'rejected' | 'failed' | 'skipped',
    batchId: string,
    rows: ReadonlyArray<{ rowNumber: number; contactId?: string; data?: Record<string, string> }>,
    detail: FailureDetail,
    commit = true,
  ): void {
    if (rows.length === 0) return;
    this.throwIfFailed();
    const settled: SettledRow[] = rows.map((row) => ({
      row: row.rowNumber,
      ...(row.contactId !== undefined ? { contactId: row.contactId } : {}),
      ...(row.data !== undefined ? { data: row.data } : {}),
      ...detail,
    }));
    this.journal.record(
      outcome === 'skipped'
        ? { t: 'skipped', rows: settled }
        : { t: outcome, batch: batchId, rows: settled },
    );
    if (commit) this.commitNow();
    for (const row of settled) {
      this.setOutcome(row.row, outcome);
      this.details.set(row.row, row);
      if (isNotSent(outcome, row)) this.notSentRows.add(row.row);
      else this.notSentRows.delete(row.row);
    }
  }

  /** Sets a row's outcome and moves it between the counts. */
  private setOutcome(row: number, outcome: RowOutcome): void {
    const previous = this.outcomeOf.get(row);
    if (previous !== undefined) this.counts[previous] -= 1;
    this.counts[outcome] += 1;
    this.outcomeOf.set(row, outcome);
  }

  /**
   * Opens a session of the run: `retry` for a retry of failed rows, else `resume` when the
   * journal holds earlier sessions and `start` when it does not.
   */
  beginSession(mode: 'upload' | 'retry-failed' | undefined): void {
    this.session(
      mode === 'retry-failed' ? 'retry' : this.previousSessions > 0 ? 'resume' : 'start',
    );
  }

  /** Writes a session marker and commits. */
  session(event: 'start' | 'resume' | 'retry' | 'pause' | 'end', state?: string): void {
    this.journal.record({
      t: 'session',
      event,
      at: new Date().toISOString(),
      rowsRead: this.readRows.size,
      ...(state ? { state } : {}),
    });
    this.commitNow();
  }

  /** Commits buffered records (e.g. rejected rows from validation) at a batch boundary. */
  commit(): void {
    this.commitNow();
  }

  /** Commits what is buffered (counting the batches that waited) and closes the journal. */
  close(): void {
    if (this.closed) return;
    this.commitNow();
    this.closed = true;
    this.journal.close();
  }

  /** Outcome counts plus rows read and rows still pending. */
  totals(): RowTotals {
    const counts = this.counts;
    const settled = counts.uploaded + counts.rejected + counts.failed + counts.skipped;
    return {
      rowsRead: this.readRows.size,
      ...counts,
      pending: Math.max(0, this.readRows.size - settled),
    };
  }

  /** The invariant over every row read (pending rows, e.g. of a paused run, make it fail). */
  invariant(): InvariantCheck {
    return checkInvariant(this.readRows.size, this.outcomes, this.readRows);
  }

  /** Details of the rows whose current outcome is `outcome`. */
  rowsWith(outcome: 'rejected' | 'failed' | 'skipped'): SettledRow[] {
    const rows: SettledRow[] = [];
    for (const [row, current] of this.outcomes) {
      const detail = this.details.get(row);
      if (current === outcome && detail) rows.push(detail);
    }
    return rows;
  }
}

/** A failed row recorded by a cancel before its request was sent. */
function isNotSent(outcome: RowOutcome | undefined, detail: FailureDetail): boolean {
  return outcome === 'failed' && detail.code === CANCELLED_NOT_SENT_CODE;
}
