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
   * with another outcome are left alone. Returns how many were skipped.
   */
  skip(rows: readonly number[], reason: string): number {
    const settled = rows
      .filter((row) => {
        const outcome = this.state.outcomes.get(row);
        return outcome === 'failed' || outcome === 'rejected';
      })
      .map((row) => ({ ...this.state.details.get(row), row, reason, status: 0 }));
    if (settled.length === 0) return 0;
    this.append((writer) => writer.record({ t: 'skipped', rows: settled }));
    for (const row of settled) {
      this.state.outcomes.set(row.row, 'skipped');
      this.state.details.set(row.row, row);
    }
    return settled.length;
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
