import type { InvariantCheck, RowAccounting, RunMetrics } from '../../contract/runs';
import type { RowOutcome } from '../types';

/** Rows read, the four outcome counts and rows read but not settled yet (the live numbers'). */
export type RowTotals = Pick<RunMetrics, keyof RowAccounting | 'pending'>;

/** Counts per outcome. */
export interface OutcomeCounts {
  uploaded: number;
  rejected: number;
  failed: number;
  skipped: number;
}

/** Counts the outcomes of a row → outcome map. */
export function countOutcomes(outcomes: ReadonlyMap<number, RowOutcome>): OutcomeCounts {
  const counts: OutcomeCounts = { uploaded: 0, rejected: 0, failed: 0, skipped: 0 };
  for (const outcome of outcomes.values()) counts[outcome] += 1;
  return counts;
}

/**
 * The accounting invariant (docs/ARCHITECTURE.md, The accounting invariant): rows read = uploaded + rejected + failed + skipped,
 * and every row read is in exactly one set. A map gives "at most one set" by construction;
 * this checks that the sets cover exactly the rows read (row numbers 1..rowsRead when the
 * source numbers rows densely, or the given list of row numbers read).
 */
export function checkInvariant(
  rowsRead: number,
  outcomes: ReadonlyMap<number, RowOutcome>,
  rowNumbersRead?: Iterable<number>,
): InvariantCheck {
  const problems: string[] = [];
  const counts = countOutcomes(outcomes);
  const total = counts.uploaded + counts.rejected + counts.failed + counts.skipped;
  if (total !== rowsRead) {
    problems.push(
      `rows read (${rowsRead}) ≠ uploaded ${counts.uploaded} + rejected ${counts.rejected} + failed ${counts.failed} + skipped ${counts.skipped} = ${total}`,
    );
  }
  if (rowNumbersRead) {
    const missing: number[] = [];
    let seen = 0;
    for (const row of rowNumbersRead) {
      seen += 1;
      if (!outcomes.has(row) && missing.length < 10) missing.push(row);
    }
    if (missing.length > 0) problems.push(`rows without an outcome: ${missing.join(', ')}`);
    if (seen !== outcomes.size) problems.push(`${outcomes.size} outcomes for ${seen} rows read`);
  }
  return { holds: problems.length === 0, problems };
}
