/**
 * A cap on requests in flight learned from 429s (a concurrency limit: docs/ARCHITECTURE.md,
 * "The throttle"), Infinity until one is met. A 429 for a request sent while others were in flight,
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
  /** When a request sent with n in flight last got through, by n. */
  private readonly succeededWithAtMs: (number | undefined)[] = [];

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

  /** A request sent with `sentWith` requests in flight (itself included) got through. */
  onSuccess(sentWith: number, nowMs: number): void {
    this.succeededWithAtMs[sentWith] = nowMs;
  }

  /**
   * A 429 for a request sent with `sentWith` requests in flight (itself included). Returns
   * whether it says the cap binds (then the pace should not slow for it). A request sent with
   * as many in flight or more that got through within the last `recentMs` (a limit period)
   * disproves a cap below `sentWith`: answers that vary in time (a slow network, a server
   * under faults) put a few requests in flight at once under a rate limit too, and its 429
   * then meets them by chance. Only successes since the cap last changed count: one from before
   * the 429 that set it (or before it relaxed) is answered by that 429, and a limit period
   * measured from the cap's own 429s spans its relaxation, so it would keep an old success
   * "recent" and turn the next binding 429 into a slower pace (docs/ARCHITECTURE.md, "The
   * throttle").
   */
  onThrottle(sentWith: number, nowMs: number, recentMs = 0): boolean {
    const cap = this.valueAt(nowMs);
    const sinceMs = Math.max(nowMs - recentMs, this.heldSinceMs);
    const disproved = this.succeededWithAtMs
      .slice(sentWith)
      .some((atMs) => atMs !== undefined && atMs >= sinceMs);
    const bound = !disproved && sentWith > 1 && sentWith <= cap;
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
