/**
 * A cap on requests in flight learned from 429s (a concurrency limit: docs/ARCHITECTURE.md,
 * "Throttle"), Infinity until one is met. A 429 for a request sent while others were in flight,
 * under the current cap, sets the cap to one fewer than it was sent with. The cap then relaxes
 * by one, rarely: once it has held for `relaxCosts` times the wait that 429 cost (and at least
 * `relaxPeriods` limit periods), so a cap met once (another tool's requests in flight, a rate
 * limit's 429 that happened to meet two in flight) does not bind for the limiter's life, and a
 * real one costs one 429 per relaxation. Pure: every method takes the clock reading.
 */
export class ConcurrencyCap {
  private cap = Infinity;
  private heldSinceMs = 0;
  private relaxAfterMs = Infinity;

  constructor(
    private readonly relaxCosts = 20,
    private readonly relaxPeriods = 3,
  ) {}

  /** The cap at `nowMs` (Infinity when none), relaxed by one if it has held long enough. */
  valueAt(nowMs: number): number {
    if (this.cap !== Infinity && nowMs - this.heldSinceMs >= this.relaxAfterMs) {
      this.cap += 1;
      this.heldSinceMs = nowMs;
    }
    return this.cap;
  }

  /**
   * A 429 for a request sent with `sentWith` requests in flight (itself included). Returns
   * whether it says the cap binds (then the pace should not slow for it).
   */
  onThrottle(sentWith: number, nowMs: number): boolean {
    const bound = sentWith > 1 && sentWith <= this.valueAt(nowMs);
    if (bound) {
      this.cap = sentWith - 1;
      this.heldSinceMs = nowMs;
    }
    return bound;
  }

  /** The wait the binding 429 caused, ms, and the limit period: how long the cap holds. */
  onWait(waitMs: number, periodMs: number): void {
    this.relaxAfterMs = Math.max(this.relaxCosts * waitMs, this.relaxPeriods * periodMs);
  }
}
