/**
 * Measures what a hidden limit (a layer the `inin-ratelimit-*` headers do not describe) let
 * through over whole loss cycles (docs/ARCHITECTURE.md, "The throttle", "The loss rate").
 *
 * A cycle starts with the first success after the org-wide wait that followed a hidden 429 (or
 * with the first success of the run) and closes with the first success of a request sent after
 * the next hidden 429. Its rate, the `N` successes over the time from its start to that closing
 * success, is a lower bound of the hidden limit while we were pushing it: the budget that
 * admitted `N` had renewed by then. The rate measured only while sending (waits excluded)
 * overestimates a window limit, since a fresh window admits a burst; the rate controller
 * combines both bounds. Pure: every method takes the clock reading.
 */
export class HiddenBudgetEstimator {
  private cycleStartMs: number | undefined;
  private successesInCycle = 0;
  /** Set between a hidden 429 and the first success of a request sent after it. */
  private pending: { successes: number; throttledAtMs: number } | undefined;

  /** @param minSuccesses cycles with fewer successes are too short to measure anything */
  constructor(private readonly minSuccesses = 4) {}

  /**
   * An answered success. Returns the closed cycle's rate (requests per second) when this
   * success was sent after the last hidden 429, else undefined.
   */
  onSuccess(nowMs: number, sentAtMs: number): number | undefined {
    const pending = this.pending;
    if (pending && sentAtMs >= pending.throttledAtMs && this.cycleStartMs !== undefined) {
      const cycleMs = nowMs - this.cycleStartMs;
      const rate =
        pending.successes >= this.minSuccesses && cycleMs > 0
          ? pending.successes / (cycleMs / 1000)
          : undefined;
      this.pending = undefined;
      this.cycleStartMs = nowMs;
      this.successesInCycle = 1;
      return rate;
    }
    if (pending) pending.successes += 1; // in flight when the 429 came: admitted in that cycle
    if (this.cycleStartMs === undefined) this.cycleStartMs = nowMs;
    this.successesInCycle += 1;
    return undefined;
  }

  /**
   * A 429 the headers do not explain: the current cycle ends (further 429s extend the wait).
   * A 429 for a request sent before the current cycle began belongs to the previous one.
   * Returns how long the cycle ran until this 429 (ms) and what got through in it, when it
   * closes one worth measuring.
   */
  onHiddenThrottle(
    nowMs: number,
    sentAtMs: number,
  ): { durationMs: number; successes: number } | undefined {
    if (this.cycleStartMs === undefined) return undefined; // nothing succeeded yet
    if (!this.pending && sentAtMs < this.cycleStartMs) return undefined;
    if (!this.pending) {
      this.pending = { successes: this.successesInCycle, throttledAtMs: nowMs };
      return this.successesInCycle >= this.minSuccesses
        ? { durationMs: nowMs - this.cycleStartMs, successes: this.successesInCycle }
        : undefined;
    }
    this.pending.throttledAtMs = Math.max(this.pending.throttledAtMs, nowMs);
    return undefined;
  }
}
