import type { RenewalBounds } from './loss-evidence';

/** What the pause after a hidden-layer 429 is sized from. */
export interface HiddenPauseInput {
  nowMs: number;
  /** Whether the rate controller had learned a hidden limit before this 429. */
  learned: boolean;
  /** Whether a request sent after the last org-wide wait has succeeded. */
  succeededSinceWait: boolean;
  /** The pace now, and the pace that drew the 429, requests per second. */
  pacingPerSecond: number;
  pacedPerSecond: number;
  /** What got through since the last loss, requests per second (undefined: nothing). */
  succeededPerSecond: number | undefined;
  /** The measured limit period, ms. */
  periodMs: number;
  /** The run's first success, clock ms (undefined: none yet). */
  firstSuccessMs: number | undefined;
  /** The length of the window the `inin-ratelimit-*` headers describe, ms (undefined: none). */
  reportedWindowMs?: number | undefined;
}

/**
 * How long to pause after a 429 from a layer the headers do not describe (docs/ARCHITECTURE.md,
 * "The throttle", "The wait after a 429"): their Retry-After is the reported layer's, so the
 * limiter sizes the pause from what it measured; the org waits the longer of it and Retry-After. An estimate worth
 * more than the 429 a probe may draw is gone ahead of by one: a request two spacings after
 * the 429, and the estimate waited out only if that one is refused too. Remembers the last
 * pause, which a 429 before anything got through after it proves too short.
 */
export class HiddenPause {
  private lastPauseMs: number | undefined;
  /** When the estimate a probe went ahead of ends, clock ms (undefined: none pending). */
  private renewsByMs: number | undefined;
  /**
   * The estimate's pause, doubled if the one-step probe past it is refused too (undefined:
   * no such probe pending).
   */
  private doubleFromMs: number | undefined;

  /**
   * @param probeCostRequests what a refused probe costs, in requests' time at the pace (the
   *   rate controller's `minLossCostRequests`): only an estimate longer than that is probed
   */
  constructor(private readonly probeCostRequests: number) {}

  /** The pause for this 429, ms; undefined when nothing has been measured yet. */
  pauseMs(input: HiddenPauseInput): number | undefined {
    const { nowMs, learned, pacedPerSecond, succeededPerSecond, periodMs } = input;
    const spacingMs = 1000 / input.pacingPerSecond;
    // one probe's step: two requests' spacing at the pace
    const probeStepMs = 2 * spacingMs;
    // nothing got through since the last pause: it was too short. A probe refused waits out
    // the estimate it went ahead of; after that one probe's step, then the wait doubles
    if (learned && !input.succeededSinceWait && this.lastPauseMs !== undefined) {
      if (this.renewsByMs !== undefined && nowMs >= this.renewsByMs) {
        // refused at the estimate's end: the budget renews past it, most likely just past (the
        // estimate is the measured guess of the renewal). One probe's step (two requests'
        // spacing) tries that, where the doubled wait put the first request admitted up to 40%
        // of the cycle past the renewal: the renewal search's bounds then held the pace 17%
        // under the limit for the rest of the run. Refused too, the doubling goes on from the
        // estimate's pause (docs/ARCHITECTURE.md, "The wait after a 429")
        this.renewsByMs = undefined;
        this.doubleFromMs = this.lastPauseMs;
        return probeStepMs;
      }
      const doubledMs = (this.doubleFromMs ?? this.lastPauseMs) * 2;
      this.doubleFromMs = undefined;
      return Math.max(doubledMs, (this.renewsByMs ?? nowMs) - nowMs);
    }
    this.renewsByMs = undefined;
    this.doubleFromMs = undefined;
    let estimateMs: number;
    // Neither estimate can tell a budget about to renew (a window about to reset, a log about
    // to age: a pace only just above the limit spends it right before) from one that renews
    // late: a probe after two requests' spacing costs one 429 when the estimate was right and
    // saves the whole of it when it was not; a pause that ran long also dilutes what the next
    // loss measures as the limit, and lengthens the hold before the next probe
    let probeCostMs = 0;
    if (learned) {
      // a pace just above a hidden limit spends its budget just before the budget renews (a
      // window's reset, a bucket's next token, a sliding log's oldest entry ageing out):
      // wait the share of a period the overshoot took, at least two requests' spacing. Probed
      // only when longer than what a refused probe costs
      const overshoot = Math.max(0, 1 - (succeededPerSecond ?? pacedPerSecond) / pacedPerSecond);
      estimateMs = Math.min(periodMs, probeStepMs + 1.5 * overshoot * periodMs);
      probeCostMs = this.probeCostRequests * spacingMs;
    } else {
      if (input.firstSuccessMs === undefined) return undefined;
      // the first loss ends slow start's burst from a fresh budget: at half again the limit's
      // rate that budget renews after half as long again as the burst took. A guess, not a
      // measure of the overshoot: always probed
      // A burst that outlasted the window the headers describe, at the pace they cap, is no
      // burst from a fresh budget: the hidden limit fell under a pace it had let through, or
      // a bucket refills just under it. Half of it overstates the renewal (five seconds of a
      // 1.2 s window): the estimate is taken over at most that window
      const burstMs = Math.min(nowMs - input.firstSuccessMs, input.reportedWindowMs ?? Infinity);
      estimateMs = Math.max(probeStepMs, 0.5 * burstMs);
    }
    if (estimateMs <= probeStepMs || estimateMs < probeCostMs) return estimateMs;
    this.renewsByMs = nowMs + estimateMs;
    return probeStepMs;
  }

  /** The org-wide wait this 429 started used `pauseMs` (undefined: Retry-After's alone). */
  onWait(pauseMs: number | undefined): void {
    this.lastPauseMs = pauseMs;
  }
}

/**
 * When a hidden budget renews after a cycle spends it, searched from the cycle's own timing
 * (docs/ARCHITECTURE.md, "The wait after a 429"). A cycle begins with its first success (the
 * run's first, or the first after a wait) and ends with a hidden 429. The first request after
 * the wait that follows it is a probe of the renewal: refused, the budget had not renewed that
 * long after the cycle began (a lower bound); admitted, it had (an upper bound). Once a
 * Retry-After has proven too short, each later cycle's wait ends no sooner than its beginning
 * plus the geometric middle of the two bounds, so each probe halves what is left of the
 * interval, where the wait Retry-After alone sized was refused cycle after cycle, each refusal
 * costing a 429 and the reported window's whole Retry-After. Pure: every method takes the send
 * time of the request answered.
 */
export class RenewalSearch {
  /** When the current cycle began (its first success's send time), ms; undefined: none yet. */
  private cycleFromMs: number | undefined;
  /** Successes in the current cycle, up to its loss. */
  private count = 0;
  /** Whether the current cycle ended with a hidden 429 (its budget spent), and a wait after it. */
  private spent = false;
  /** The budget the bounds are of: the count of the cycles that probed them (0: none). */
  private budget = 0;
  /** The budget had not renewed this long after its cycle began, ms (0: nothing proven). */
  private lowerMs = 0;
  /** The budget had renewed by this long after its cycle began, ms (Infinity: nothing proven). */
  private upperMs = Infinity;
  /**
   * The earliest the budget the run's first cycle spent can have opened, ms: the limiter's first
   * request (a session's reads go before the first upload and may spend that budget too).
   */
  private firstOpenedMs: number | undefined;
  /** Whether the current cycle is the run's first. */
  private firstCycle = true;
  /** Whether the bounds were probed only after the run's first cycle, whose count reads shared. */
  private boundsFromFirst = false;
  /**
   * The run's first cycle's upper bound counted from its first upload, not the first read, ms
   * (undefined: none): it holds once a later cycle spends the same count (see `onHiddenThrottle`).
   */
  private firstUpperFromUploadMs: number | undefined;

  /** The renewal lies between these, ms since a cycle's beginning (for tests and traces). */
  get bounds(): { budget: number; lowerMs: number; upperMs: number } {
    return { budget: this.budget, lowerMs: this.lowerMs, upperMs: this.upperMs };
  }

  /**
   * The bounds, when the current cycle spent the budget they were probed with (of at least
   * `minBudget` requests) and a refused probe proved the lower one; undefined otherwise.
   */
  spentBounds(minBudget: number): RenewalBounds | undefined {
    if (this.spentCycleFromMs(minBudget) === undefined) return undefined;
    return { budget: this.count, lowerMs: this.lowerMs, upperMs: this.upperMs };
  }

  /**
   * A success sent at `sentAtMs`; `afterWait` when sent at or after the last wait ended;
   * `openedFromMs`: the limiter's first request of any kind (a read), when before it.
   */
  onSuccess(sentAtMs: number, afterWait: boolean, openedFromMs?: number): void {
    if (this.cycleFromMs === undefined) {
      this.cycleFromMs = sentAtMs;
      this.firstOpenedMs = Math.min(openedFromMs ?? sentAtMs, sentAtMs);
      this.count = 1;
      return;
    }
    if (!this.spent) {
      if (sentAtMs >= this.cycleFromMs) this.count += 1;
      return;
    }
    if (!afterWait) return; // admitted before the cycle's loss: an answer of the same cycle
    // the first success after the wait that followed a spent cycle: the budget had renewed
    // (the run's first budget may have opened before its cycle began, with the session's reads:
    // that it renewed is proven only from the earliest it can have opened)
    const openedMs = this.firstCycle ? (this.firstOpenedMs ?? this.cycleFromMs) : this.cycleFromMs;
    const spanMs = sentAtMs - openedMs;
    this.bind(this.count);
    if (spanMs <= this.lowerMs) {
      this.forget(this.count); // renewed before proven not to
    } else {
      this.upperMs = Math.min(this.upperMs, spanMs);
      if (this.firstCycle) this.firstUpperFromUploadMs = sentAtMs - this.cycleFromMs;
    }
    this.cycleFromMs = sentAtMs;
    this.count = 1;
    this.spent = false;
    this.firstCycle = false;
  }

  /**
   * A hidden 429 for a request sent at `sentAtMs`: `afterWait` when it was the first request
   * after a wait that followed this cycle's loss (a probe of the renewal, refused).
   */
  onHiddenThrottle(sentAtMs: number, afterWait: boolean): void {
    if (this.cycleFromMs === undefined) return;
    if (afterWait && this.spent) {
      const spanMs = sentAtMs - this.cycleFromMs;
      this.bind(this.count);
      if (spanMs >= this.upperMs)
        this.forget(this.count); // refused after a proven renewal
      else this.lowerMs = Math.max(this.lowerMs, spanMs);
      return;
    }
    this.spent = true;
    // a later cycle from a fresh budget spent the count the run's first did: the session's reads
    // spent none of that budget, which opened with the first upload, not the first read, and the
    // first cycle's upper bound counts from it. Counted from the read, the upper bound kept the
    // reads' lead (a tenth of a 2 s window), and the search's next try held the pace under it
    const firstUpperMs = this.firstUpperFromUploadMs;
    if (
      !this.firstCycle &&
      this.boundsFromFirst &&
      this.count === this.budget &&
      firstUpperMs !== undefined &&
      firstUpperMs > this.lowerMs
    )
      this.upperMs = Math.min(this.upperMs, firstUpperMs);
  }

  /**
   * The wait after this cycle's loss ends no sooner than this (clock ms), or undefined: only
   * when this cycle spent the budget the bounds were probed with (the same count from a
   * fresh one, as a fixed window or a log admits), of at least `minBudget` requests.
   */
  renewedByMs(minBudget: number): number | undefined {
    const fromMs = this.spentCycleFromMs(minBudget);
    if (fromMs === undefined || !Number.isFinite(this.upperMs)) return undefined;
    return fromMs + Math.sqrt(this.lowerMs * this.upperMs);
  }

  /**
   * When the current cycle began, if it spent the budget the bounds were probed with (of at
   * least `minBudget` requests) and a refused probe proved the lower bound; undefined otherwise.
   * The one guard spentBounds and renewedByMs share.
   */
  private spentCycleFromMs(minBudget: number): number | undefined {
    if (this.cycleFromMs === undefined || !this.spent) return undefined;
    if (!this.ofBudget(this.count) || this.count < minBudget || !(this.lowerMs > 0))
      return undefined;
    return this.cycleFromMs;
  }

  /**
   * Bounds probed after a cycle of `count` successes: another budget's start over, except a
   * larger count after bounds only the run's first cycle probed. The session's reads (the list
   * read, the limits read) spend part of the first budget of a layer they reach (a per-client
   * window), so that cycle's count is short by them, and its bounds are still that budget's
   * (its lower bound counted from its first upload, its upper one from the first read), as
   * `WindowPhase` lets a larger count replace one not yet confirmed. Started over, they left a
   * window of 48 per 4.6 s refused again at the next short Retry-After's end.
   */
  private bind(count: number): void {
    if (this.ofBudget(count) && count > this.budget) this.budget = count;
    else if (count !== this.budget) this.forget(count);
    this.boundsFromFirst = this.firstCycle;
  }

  /** Whether a cycle of `count` spent the budget the bounds are of (see `bind`). */
  private ofBudget(count: number): boolean {
    return count === this.budget || (this.boundsFromFirst && count > this.budget);
  }

  private forget(count: number): void {
    this.budget = count;
    this.lowerMs = 0;
    this.upperMs = Infinity;
  }
}
