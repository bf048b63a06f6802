import type { FailureDetail, InvariantCheck } from '../../contract/runs';
import { checkInvariant, countOutcomes, type RowTotals } from './accounting';
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
 * The accounting of one run (docs/ARCHITECTURE.md, The accounting invariant): which rows were read, and the one outcome of each
 * settled row. Every settlement is journaled and committed (fsync) before it counts, so the
 * journal and the in-memory sets never disagree about an acknowledged row.
 */
export class RunLedger {
  readonly outcomes: Map<number, RowOutcome>;
  readonly details: Map<number, SettledRow>;
  readonly readRows: Set<number>;
  /** Sessions found in the journal when the run was opened (0 = a fresh run). */
  readonly previousSessions: number;

  constructor(
    runDir: string,
    private readonly journal: JournalSink,
  ) {
    const replayed = readJournal(runDir);
    this.outcomes = replayed.outcomes;
    this.details = replayed.details;
    this.readRows = new Set(replayed.outcomes.keys());
    this.previousSessions = replayed.sessions;
  }

  /** Marks a row as read from the source. */
  markRead(rowNumber: number): void {
    this.readRows.add(rowNumber);
  }

  /** Whether the row already has an outcome (a resume skips it). */
  isSettled(rowNumber: number): boolean {
    return this.outcomes.has(rowNumber);
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
    this.journal.record({ t: 'dispatch', batch: batchId, rows: toRanges(rowNumbers), attempt });
    if (commit) this.journal.commit();
  }

  /** The server acknowledged these rows. */
  uploaded(batchId: string, rows: readonly PendingRow[]): void {
    const rowNumbers = rows.map((r) => r.rowNumber);
    this.journal.record({ t: 'uploaded', batch: batchId, rows: toRanges(rowNumbers) });
    this.journal.commit();
    for (const row of rowNumbers) {
      this.outcomes.set(row, 'uploaded');
      this.details.delete(row);
    }
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
    if (commit) this.journal.commit();
    for (const row of settled) {
      this.outcomes.set(row.row, outcome);
      this.details.set(row.row, row);
    }
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
    this.journal.commit();
  }

  /** Commits buffered records (e.g. rejected rows from validation) at a batch boundary. */
  commit(): void {
    this.journal.commit();
  }

  /** Closes the journal. */
  close(): void {
    this.journal.close();
  }

  /** Outcome counts plus rows read and rows still pending. */
  totals(): RowTotals {
    const counts = countOutcomes(this.outcomes);
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
