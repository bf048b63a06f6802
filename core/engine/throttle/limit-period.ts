/**
 * The time constant of the limit that binds, measured rather than assumed (docs/ARCHITECTURE.md,
 * "The throttle", "The limit period"): the budget the first loss cycle spent over the limit's
 * estimated rate (one window of a window limit, or a bucket's burst), else that cycle's duration,
 * else the window the headers describe, else the last Retry-After. The rate controller scales its
 * holds and probes by it, so a 1-second window and a 2-minute one are learned in the same number
 * of periods.
 */
export class LimitPeriod {
  private readonly cycles: { durationMs: number; successes: number }[] = [];
  private reportedWindowMs: number | undefined;
  private retryAfterMs: number | undefined;

  constructor(
    private readonly minMs = 1000,
    private readonly maxMs = 120_000,
  ) {}

  /** A loss cycle: from its first success to the 429 that ended it (ms), and its successes. */
  observeCycle(durationMs: number, successes: number): void {
    if (!(durationMs > 0)) return;
    if (this.cycles.length === 0) this.cycles.push({ durationMs, successes });
  }

  /** The length of the window the `inin-ratelimit-*` headers describe, milliseconds. */
  observeReportedWindow(lengthMs: number): void {
    if (lengthMs > 0) this.reportedWindowMs = Math.max(this.reportedWindowMs ?? 0, lengthMs);
  }

  /** A Retry-After received, milliseconds. */
  observeRetryAfter(delayMs: number): void {
    if (delayMs > 0) this.retryAfterMs = delayMs;
  }

  /**
   * The current estimate, milliseconds. The first cycle lasted at most one window when it ran
   * well above the limit, and its budget over the limit's rate (once estimated) is one window
   * when it ran within one window but several when it ran just above the limit for longer:
   * the geometric middle of the two, which is within a factor of the window either way.
   */
  periodFor(limitRatePerSecond: number | undefined): number {
    // the first cycle: it starts with a fresh budget and runs well above the limit (slow start
    // from the published rate), so it spends exactly one window's budget; later cycles start
    // from a partly renewed budget or run just above the limit for many windows
    const shortest = this.cycles[0];
    const fromBudget =
      shortest && limitRatePerSecond !== undefined && limitRatePerSecond > 0
        ? Math.sqrt(
            shortest.durationMs *
              Math.max(shortest.durationMs, (shortest.successes / limitRatePerSecond) * 1000),
          )
        : shortest?.durationMs;
    const estimate = fromBudget ?? this.reportedWindowMs ?? this.retryAfterMs ?? this.minMs;
    return Math.min(this.maxMs, Math.max(this.minMs, estimate));
  }

  /** The estimate before any limit rate is known, milliseconds. */
  get periodMs(): number {
    return this.periodFor(undefined);
  }
}
