import type { InvariantCheck } from '../../contract/runs';
import type { RowOutcome } from '../types';
import { checkInvariant, countOutcomes, type OutcomeCounts } from './accounting';
import type { SettledRow } from './journal-records';
import { JournalWriter, readJournal, type JournalState } from './journal';

/**
 * The journal of a run that is not running in this process (finished, paused, or killed),
 * read once, for the screens that inspect it (Failures, History) and amend it (skip rows,
 * queue corrected rows). Amendments are appended and fsynced like a live run's records, so
 * the journal stays the one truth about every row's outcome. Services call this; they never
 * build journal records or count outcomes themselves.
 */
export class SettledJournal {
  private constructor(
    private readonly runDir: string,
    private readonly state: JournalState,
  ) {}

  /** Reads the journal of `runDir` (an absent file is an empty journal). */
  static read(runDir: string): SettledJournal {
    return new SettledJournal(runDir, readJournal(runDir));
  }

  /** The current outcome of a row, if it has one. */
  outcomeOf(row: number): RowOutcome | undefined {
    return this.state.outcomes.get(row);
  }

  /** Rows whose current outcome is `outcome`, by row number. */
  rowsWith(outcome: 'failed' | 'rejected' | 'skipped'): SettledRow[] {
    return [...this.state.details.values()]
      .filter((row) => this.state.outcomes.get(row.row) === outcome)
      .sort((a, b) => a.row - b.row);
  }

  /** Outcome counts. */
  counts(): OutcomeCounts {
    return countOutcomes(this.state.outcomes);
  }

  /** The accounting invariant against the rows the run read. */
  invariant(rowsRead: number): InvariantCheck {
    return checkInvariant(rowsRead, this.state.outcomes);
  }

  /**
   * Settles as skipped (with `reason`) those of `rows` that are failed or rejected now; rows
   * with another outcome are left alone. Returns the row numbers skipped (what an undo gives back).
   */
  skip(rows: readonly number[], reason: string): number[] {
    const settled = rows
      .filter((row) => {
        const outcome = this.state.outcomes.get(row);
        return outcome === 'failed' || outcome === 'rejected';
      })
      .map((row) => ({ ...this.state.details.get(row), row, reason, status: 0 }));
    if (settled.length === 0) return [];
    this.append((writer) => writer.record({ t: 'skipped', rows: settled }));
    for (const row of settled) {
      const outcome = this.state.outcomes.get(row.row) as 'failed' | 'rejected';
      const detail = this.state.details.get(row.row);
      if (detail) this.state.beforeSkip.set(row.row, { outcome, detail });
      this.state.outcomes.set(row.row, 'skipped');
      this.state.details.set(row.row, row);
    }
    return settled.map((row) => row.row);
  }

  /**
   * Gives those of `rows` that the consultant skipped back the outcome they had before (failed,
   * so a retry sends them, or rejected, so they wait for a correction), with that outcome's
   * reason and data, by appending it again: the journal is never rewritten. Rows not skipped, or
   * skipped by the run itself (a repeated contact id), are left alone. Returns how many came back.
   */
  unskip(rows: readonly number[]): { failed: number; rejected: number } {
    const back = { failed: [] as SettledRow[], rejected: [] as SettledRow[] };
    for (const row of new Set(rows)) {
      const before = this.state.beforeSkip.get(row);
      if (this.state.outcomes.get(row) !== 'skipped' || !before) continue;
      back[before.outcome].push(before.detail);
    }
    if (back.failed.length + back.rejected.length === 0) return { failed: 0, rejected: 0 };
    const batch = `unskip-${Date.now()}`;
    this.append((writer) => {
      if (back.failed.length > 0) writer.record({ t: 'failed', batch, rows: back.failed });
      if (back.rejected.length > 0) writer.record({ t: 'rejected', batch, rows: back.rejected });
    });
    for (const outcome of ['failed', 'rejected'] as const) {
      for (const detail of back[outcome]) {
        this.state.outcomes.set(detail.row, outcome);
        this.state.details.set(detail.row, detail);
        this.state.beforeSkip.delete(detail.row);
      }
    }
    return { failed: back.failed.length, rejected: back.rejected.length };
  }

  /**
   * Records corrected rows (new data, same contact id) as failed, so the run's next
   * `retry-failed` session sends them with their corrections.
   */
  queueCorrected(rows: readonly SettledRow[]): void {
    if (rows.length === 0) return;
    this.append((writer) =>
      writer.record({ t: 'failed', batch: `fix-${Date.now()}`, rows: [...rows] }),
    );
    for (const row of rows) {
      this.state.outcomes.set(row.row, 'failed');
      this.state.details.set(row.row, row);
    }
  }

  private append(write: (writer: JournalWriter) => void): void {
    const writer = JournalWriter.open(this.runDir);
    try {
      write(writer);
    } finally {
      writer.close();
    }
  }
}
