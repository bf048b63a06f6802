/** Tuning of the hidden-layer rate controller (rates in requests per second). */
export interface RateControllerOptions {
  /** Rate before anything is known (no headers, no limits API, no 429 yet). */
  initialRatePerSecond: number;
  minRatePerSecond: number;
  maxRatePerSecond: number;
  /** Before the first 429: rate multiplies by (1 + this) every second (slow start). */
  slowStartGrowthPerSecond: number;
  /** After a 429 the rate drops to `lossRate × decreaseFactor` (multiplicative decrease). */
  decreaseFactor: number;
  /** The plateau sits at `lossRate × plateauFraction`, just below the rate that drew the 429. */
  plateauFraction: number;
  /** Seconds to climb from the decreased rate back to the plateau (CUBIC's K). */
  recoverySeconds: number;
  /** Seconds to hold the plateau before probing above it. */
  plateauHoldSeconds: number;
  /** Probes above the plateau climb this fraction as fast as the recovery (rare, slow probes). */
  probeSpeed: number;
}

/** Defaults tuned for Genesys-sized limits (a few requests per second per client). */
export const defaultRateControllerOptions: RateControllerOptions = {
  initialRatePerSecond: 2,
  minRatePerSecond: 0.05,
  maxRatePerSecond: 200,
  slowStartGrowthPerSecond: 0.5,
  decreaseFactor: 0.7,
  plateauFraction: 0.97,
  recoverySeconds: 6,
  plateauHoldSeconds: 12,
  probeSpeed: 0.25,
};

/**
 * Learns the rate of a limit the headers do not describe (DESIGN §6: a 429 while
 * `count < allowed` means a hidden layer binds). Before the first loss it grows like TCP slow
 * start; on a 429 it remembers the loss rate (the lower of the pacing rate and the rate that
 * actually succeeded), drops multiplicatively, then follows a CUBIC curve: fast recovery, a
 * long plateau just below the loss point, then slow probes above it. Several 429s caused by the
 * same burst count once (only requests sent after the last decrease can trigger another).
 */
export class RateController {
  private readonly options: RateControllerOptions;
  private slowStartRate: number;
  private slowStartFromMs: number;
  private lossRate: number | undefined;
  private epochStartMs = 0;
  private lastDecreaseMs = -Infinity;
  private lossCount = 0;
  /** Highest cycle rate seen below the loss point (requests per second). */
  private lowerBound: number | undefined;
  /** The loss point refined from the bounds, used instead of `lossRate` once known. */
  private estimate: number | undefined;

  constructor(nowMs: number, options: Partial<RateControllerOptions> = {}) {
    this.options = { ...defaultRateControllerOptions, ...options };
    this.slowStartRate = this.options.initialRatePerSecond;
    this.slowStartFromMs = nowMs;
  }

  /** Whether a hidden-layer 429 has been seen (the rate is then a learned limit, not a guess). */
  get hasLearnedLimit(): boolean {
    return this.lossRate !== undefined;
  }

  /** How many distinct loss events (decreases) happened. */
  get losses(): number {
    return this.lossCount;
  }

  /** The loss point, requests per second: the rate that drew the last 429, once refined the bisected estimate. */
  get lastLossRatePerSecond(): number | undefined {
    return this.estimate ?? this.lossRate;
  }

  /** The pacing rate at `nowMs`, requests per second. */
  rate(nowMs: number): number {
    const { minRatePerSecond, maxRatePerSecond } = this.options;
    return clamp(this.unclampedRate(nowMs), minRatePerSecond, maxRatePerSecond);
  }

  /**
   * Seeds the pre-loss rate from published limits (limits API or headers), so slow start
   * begins at the known budget instead of a guess. Ignored once a loss has been learned.
   */
  seed(ratePerSecond: number, nowMs: number): void {
    if (this.lossRate !== undefined || !(ratePerSecond > 0)) return;
    this.slowStartRate = ratePerSecond;
    this.slowStartFromMs = nowMs;
  }

  /**
   * A hidden-layer 429. `sentAtMs` is when the throttled request left (ignored if before the
   * last decrease); `succeededRatePerSecond` is what actually got through recently, if measured.
   * Returns whether the rate was decreased.
   */
  onThrottle(nowMs: number, sentAtMs: number, succeededRatePerSecond?: number): boolean {
    if (sentAtMs < this.lastDecreaseMs) return false;
    const current = this.rate(nowMs);
    const measured = succeededRatePerSecond !== undefined && succeededRatePerSecond > 0;
    this.lossRate = measured ? Math.min(current, succeededRatePerSecond) : current;
    this.estimate = undefined;
    // a loss at or below what once got through: the limit fell, forget the old lower bound
    if (this.lowerBound !== undefined && this.lowerBound >= this.lossRate)
      this.lowerBound = undefined;
    this.epochStartMs = nowMs;
    this.lastDecreaseMs = nowMs;
    this.lossCount += 1;
    return true;
  }

  /**
   * What a closed loss cycle let through, requests per second (see `HiddenBudgetEstimator`): a
   * lower bound of the hidden limit, kept as the highest seen since the loss point last fell to
   * it. The loss point becomes the geometric middle of [lower bound, rate that drew the 429]
   * (one bisection step of a scale whose order of magnitude is unknown: the lower bound is weak
   * when Retry-After kept us waiting long past the hidden reset), and the rate goes straight to
   * the plateau below it: the org-wide wait after the 429 already drained the burst, so a
   * recovery climb would only waste time. Returns whether it applied.
   */
  refine(cycleRatePerSecond: number, nowMs: number): boolean {
    const upper = this.lossRate;
    if (upper === undefined || !(cycleRatePerSecond > 0)) return false;
    this.lowerBound = Math.max(this.lowerBound ?? 0, Math.min(cycleRatePerSecond, upper));
    this.estimate = Math.sqrt(this.lowerBound * upper);
    this.epochStartMs = nowMs - this.options.recoverySeconds * 1000;
    return true;
  }

  private unclampedRate(nowMs: number): number {
    const o = this.options;
    if (this.lossRate === undefined) {
      const seconds = Math.max(0, nowMs - this.slowStartFromMs) / 1000;
      return this.slowStartRate * (1 + o.slowStartGrowthPerSecond) ** seconds;
    }
    const lossRate = this.estimate ?? this.lossRate;
    const plateau = lossRate * o.plateauFraction;
    const floor = lossRate * o.decreaseFactor;
    const k = o.recoverySeconds;
    const scale = (plateau - floor) / k ** 3;
    const t = Math.max(0, nowMs - this.epochStartMs) / 1000;
    if (t < k) return plateau + scale * (t - k) ** 3;
    const probeSeconds = t - k - o.plateauHoldSeconds;
    if (probeSeconds <= 0) return plateau;
    return plateau + o.probeSpeed * scale * probeSeconds ** 3;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
