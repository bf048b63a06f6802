import type { RowAccounting, RunMetrics, RunSummary } from '../../../../core/contract';
import { isLiveState } from './runs-store';

/**
 * A run's row accounting as the screens show it, during a run and after: the live numbers' rows
 * (`pending`: read but not settled yet, queued, in flight, waiting for a retry or set aside by a
 * pause).
 */
export interface LiveAccounting extends Pick<RunMetrics, keyof RowAccounting | 'pending'> {
  /** Of `failed`, rows an earlier cancel or stop left not stored, which a live session sends. */
  notSent: number;
  /** True only when the numbers really do not add up (never for rows still on their way). */
  mismatch: boolean;
}

type Counts = Pick<RunSummary, 'rowsRead' | 'uploaded' | 'rejected' | 'failed' | 'skipped'> & {
  state: RunSummary['state'];
  notSent?: number | undefined;
};

/**
 * rows read = uploaded + rejected + failed + skipped + pending. While a run lives (running,
 * pausing, paused) the rows not settled yet are pending, not missing; once it has ended, every
 * row must be in one of the four sets, and the engine's own invariant check has the last word.
 */
export function accountingOf(counts: Counts, invariant?: RunSummary['invariant']): LiveAccounting {
  const settled = counts.uploaded + counts.rejected + counts.failed + counts.skipped;
  const live = isLiveState(counts.state);
  // Ticks are sampled while rows move, so pending is what is left; only settling more rows
  // than were read is wrong while the run lives.
  const pending = live ? Math.max(0, counts.rowsRead - settled) : 0;
  const mismatch = live
    ? settled > counts.rowsRead
    : invariant
      ? !invariant.holds
      : settled !== counts.rowsRead;
  return {
    rowsRead: counts.rowsRead,
    uploaded: counts.uploaded,
    rejected: counts.rejected,
    failed: counts.failed,
    skipped: counts.skipped,
    pending,
    notSent: counts.notSent ?? 0,
    mismatch,
  };
}

/** The accounting of a run from its latest tick, or from its summary when that is newer. */
export function accountingFromEntry(
  state: RunSummary['state'],
  latest: RunMetrics | undefined,
  summary: RunSummary | undefined,
  summaryIsCurrent: boolean,
): LiveAccounting | undefined {
  if (summary && (summaryIsCurrent || !latest)) {
    return accountingOf({ ...summary, state }, isLiveState(state) ? undefined : summary.invariant);
  }
  if (latest) return accountingOf({ ...latest, state });
  return undefined;
}
