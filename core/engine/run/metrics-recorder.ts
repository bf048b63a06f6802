import type { RunMetrics, RunState } from '../../contract/runs';
import type { OrgLimiterSnapshot } from '../throttle/org-limiter';
import type { ThrottleSnapshot } from '../throttle/throttle-snapshot';

import type { HttpCounters } from '../../genesys/http/genesys-http';
import type { RowTotals } from '../journal/accounting';

export type { RowTotals } from '../journal/accounting';

/** Request-level counters of a run (rows are counted by the accounting, not here). */
export type RequestCounters = HttpCounters;
export { zeroCounters } from '../../genesys/http/genesys-http';

/**
 * Turns counters into the `RunMetrics` tick (docs/ARCHITECTURE.md, The throttle: everything observable). Rates are
 * measured over a sliding span of recent ticks (default 5 s) so the numbers move smoothly.
 */
export class MetricsRecorder {
  private readonly history: Array<{ atMs: number; uploaded: number; requests: number }> = [];

  constructor(
    private readonly runId: string,
    private readonly spanMs = 5000,
  ) {}

  /**
   * Builds one tick. `totalRows` (if known) is the file's rows, carried in the tick for the
   * progress bar; the ETA is the rows left (`rowsLeft`, else the total less the rows settled) at
   * the upload rate.
   */
  tick(input: {
    nowMs: number;
    elapsedMs: number;
    state: RunState;
    rows: RowTotals;
    counters: RequestCounters;
    limiter: OrgLimiterSnapshot;
    totalRows?: number;
    rowsLeft?: number;
  }): RunMetrics {
    const { nowMs, rows, counters, limiter } = input;
    this.history.push({ atMs: nowMs, uploaded: rows.uploaded, requests: counters.requests });
    while (this.history.length > 2 && (this.history[1]?.atMs ?? nowMs) <= nowMs - this.spanMs) {
      this.history.shift();
    }
    const first = this.history[0] ?? { atMs: nowMs, uploaded: 0, requests: 0 };
    const seconds = (nowMs - first.atMs) / 1000;
    const rowsPerSecond = seconds > 0 ? (rows.uploaded - first.uploaded) / seconds : 0;
    const requestsPerSecond = seconds > 0 ? (counters.requests - first.requests) / seconds : 0;
    const remaining =
      input.rowsLeft ??
      (input.totalRows !== undefined
        ? Math.max(0, input.totalRows - rows.uploaded - rows.rejected - rows.failed - rows.skipped)
        : undefined);
    return {
      runId: this.runId,
      state: input.state,
      elapsedMs: input.elapsedMs,
      ...rows,
      rowsPerSecond,
      requestsPerSecond,
      ...counters,
      pacingRatePerSecond: limiter.pacingRatePerSecond,
      concurrency: limiter.concurrency,
      inFlight: limiter.inFlight,
      currentBackoffMs: limiter.backoffRemainingMs,
      latencyP50Ms: limiter.latencyP50Ms,
      latencyP95Ms: limiter.latencyP95Ms,
      ...(limiter.budgetUsed !== undefined ? { budgetUsed: limiter.budgetUsed } : {}),
      ...(limiter.throttle ? throttleFields(limiter.throttle, nowMs) : {}),
      ...(input.totalRows !== undefined ? { totalRows: input.totalRows } : {}),
      ...(remaining !== undefined && rowsPerSecond > 0
        ? { etaMs: (remaining / rowsPerSecond) * 1000 }
        : {}),
    };
  }
}

/** The throttle's limits, wait and reason as optional metrics fields (absent when unknown). */
function throttleFields(throttle: ThrottleSnapshot, nowMs: number): Partial<RunMetrics> {
  const { backoff } = throttle;
  return {
    headroom: throttle.headroom,
    why: throttle.reason,
    ...(throttle.reportedLimitPerMinute !== null
      ? { reportedLimitPerMinute: throttle.reportedLimitPerMinute }
      : {}),
    ...(throttle.learnedHiddenLimitPerMinute !== null
      ? { learnedLimitPerMinute: throttle.learnedHiddenLimitPerMinute }
      : {}),
    ...(backoff
      ? {
          backoff: {
            ...(backoff.retryAfterMs !== null ? { retryAfterMs: backoff.retryAfterMs } : {}),
            waitMs: backoff.waitMs,
            untilMs: nowMs + backoff.remainingMs,
            pausedForLongRetryAfter: backoff.pausedForLongRetryAfter,
          },
        }
      : {}),
  };
}
