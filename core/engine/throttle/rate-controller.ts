/** Tuning of the hidden-layer rate controller (rates in requests per second). */
export interface RateControllerOptions {
  /** Rate before anything is known (no headers, no limits API, no 429 yet). */
  initialRatePerSecond: number;
  minRatePerSecond: number;
  maxRatePerSecond: number;
  /** Before the first 429: the rate multiplies by (1 + this) every limit period (slow start). */
  slowStartGrowthPerPeriod: number;
  /** After a first 429 with nothing known below it, try `lossRate × this`. */
  decreaseFactor: number;
  /** The search stops bisecting once upper / lower is within 1 + this. */
  tolerance: number;
  /** Once the bracket is tight, pace at this fraction of its proven end (timing slack). */
  plateauFraction: number;
  /** Limit periods a trial rate must run clean before it counts as below the limit. */
  holdPeriods: number;
  /** Limit periods to hold a converged rate before probing above it (doubles per failed probe). */
  probeHoldPeriods: number;
  /** A probe looks this far above the converged rate (doubles per successful probe). */
  probeStep: number;
  /** Hold a converged rate at least this many times the last 429's wait before probing. */
  probeHoldWaits: number;
}

/** Defaults: the time constants are in limit periods, which `setPeriod` measures. */
export const defaultRateControllerOptions: RateControllerOptions = {
  initialRatePerSecond: 2,
  minRatePerSecond: 0.05,
  maxRatePerSecond: 200,
  slowStartGrowthPerPeriod: 0.5,
  decreaseFactor: 0.8,
  tolerance: 0.04,
  plateauFraction: 0.97,
  holdPeriods: 2,
  probeHoldPeriods: 4,
  probeStep: 0.08,
  probeHoldWaits: 3,
};

/** A wait after a 429 longer than this many limit periods makes a second 429 costly. */
const COSTLY_WAIT_PERIODS = 3;

/** This many 429s in a row, each above the proven rate, mean the proof was wrong. */
const SUSPECT_PROOF_LOSSES = 3;

/** Failed probes double the hold before the next one, up to this many times. */
const MAX_PROBE_BACKOFF_DOUBLINGS = 2;

/**
 * Learns the rate of a limit the headers do not describe (docs/ARCHITECTURE.md, "Throttle": a
 * 429 while `count < allowed` means a hidden layer binds). It keeps a bracket around the limit:
 * `upper`, the lowest rate that drew a 429 since the limit last moved, and `lower`, the highest
 * rate that ran clean for `holdPeriods` limit periods (or that a whole loss cycle let through).
 * The pace is a trial rate inside the bracket, moved by bisection in log space: up after a clean
 * hold, down on a 429. Once the bracket is tight it holds the lower end and probes above it
 * now and then (a limit can rise: another tool stopped), ever more rarely while probes fail;
 * a 429 below the lower end means the limit fell (a background consumer grew) and reopens the
 * search. Every time constant is a multiple of the limit period, measured by `setPeriod`, so one
 * tuning fits a 1-second window and a 2-minute one. Several 429s of one burst count once.
 */
export class RateController {
  private readonly options: RateControllerOptions;
  private periodMs = 1000;
  private slowStartRate: number;
  private slowStartFromMs: number;
  private upper: number | undefined;
  private lower: number | undefined;
  private trial = 0;
  private trialSinceMs = 0;
  private lastDecreaseMs = -Infinity;
  private lossCount = 0;
  private failedProbes = 0;
  private probeStep: number;
  private probing = false;
  private lastWaitMs = 0;
  /** 429s since a trial last ran clean: several in a row cast doubt on the proven rate. */
  private lossesSinceProof = 0;

  constructor(nowMs: number, options: Partial<RateControllerOptions> = {}) {
    this.options = { ...defaultRateControllerOptions, ...options };
    this.slowStartRate = this.options.initialRatePerSecond;
    this.slowStartFromMs = nowMs;
    this.probeStep = this.options.probeStep;
  }

  /** Whether a hidden-layer 429 has been seen (the rate is then a learned limit, not a guess). */
  get hasLearnedLimit(): boolean {
    return this.upper !== undefined;
  }

  /** How many distinct loss events (decreases) happened. */
  get losses(): number {
    return this.lossCount;
  }

  /** The best estimate of the hidden limit, requests per second: the bracket's middle. */
  get lastLossRatePerSecond(): number | undefined {
    if (this.upper === undefined) return undefined;
    return this.lower === undefined ? this.upper : Math.sqrt(this.lower * this.upper);
  }

  /** The highest rate proven clean (requests per second), if any. */
  get provenRatePerSecond(): number | undefined {
    return this.lower;
  }

  /** The time constant everything is scaled by, milliseconds. */
  get limitPeriodMs(): number {
    return this.periodMs;
  }

  /** Sets the measured limit period (see `LimitPeriod`), milliseconds. */
  setPeriod(periodMs: number): void {
    if (periodMs > 0 && Number.isFinite(periodMs)) this.periodMs = periodMs;
  }

  /** The pacing rate at `nowMs`, requests per second. */
  rate(nowMs: number): number {
    const { minRatePerSecond, maxRatePerSecond } = this.options;
    if (this.upper === undefined) {
      const periods = Math.max(0, nowMs - this.slowStartFromMs) / this.periodMs;
      const grown = this.slowStartRate * (1 + this.options.slowStartGrowthPerPeriod) ** periods;
      return clamp(grown, minRatePerSecond, maxRatePerSecond);
    }
    this.step(nowMs);
    return clamp(this.trial, minRatePerSecond, maxRatePerSecond);
  }

  /**
   * Seeds the pre-loss rate from published limits (limits API or headers), so slow start
   * begins at the known budget instead of a guess. Ignored once a loss has been learned.
   */
  seed(ratePerSecond: number, nowMs: number): void {
    if (this.upper !== undefined || !(ratePerSecond > 0)) return;
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
    // before anything is known the pace may be far above what got through (a slow start);
    // afterwards the pace is the trial, and the trial is what drew the 429
    const throughput = measured ? Math.min(current, succeededRatePerSecond) : current;
    const lossRate = this.upper === undefined ? throughput : current;
    const failedProbe = this.probing && this.lower !== undefined;
    if (failedProbe)
      this.failedProbes = Math.min(MAX_PROBE_BACKOFF_DOUBLINGS, this.failedProbes + 1);
    else if (
      this.lower !== undefined &&
      (throughput <= this.lower || this.lossesSinceProof >= SUSPECT_PROOF_LOSSES)
    ) {
      // a 429 while less got through than once ran clean: the limit fell (a background
      // consumer grew, another tool started), or the hold that "proved" it was too short for
      // this limit (a bucket's burst hides a small overshoot for a while); search again below
      // what gets through now
      this.lower = undefined;
      this.upper = throughput;
      this.failedProbes = 0;
    }
    this.lossesSinceProof += 1;
    this.probing = false;
    this.probeStep = this.options.probeStep;
    this.upper = Math.min(this.upper ?? Infinity, lossRate);
    if (failedProbe && this.lower !== undefined && this.lower < this.upper) {
      // the limit did not rise: back to just below the proven rate until the next probe
      this.upper = this.lower * (1 + this.options.tolerance);
    }
    if (this.lower !== undefined && this.lower >= this.upper) this.lower = undefined;
    this.setTrial(this.middle(), nowMs);
    this.lastDecreaseMs = nowMs;
    this.lossCount += 1;
    return true;
  }

  /**
   * What a closed loss cycle let through, requests per second (see `HiddenBudgetEstimator`): a
   * lower bound of the hidden limit. The trial moves to the new middle of the bracket. Returns
   * whether it applied.
   */
  refine(cycleRatePerSecond: number, nowMs: number): boolean {
    const upper = this.upper;
    if (upper === undefined || !(cycleRatePerSecond > 0)) return false;
    const bound = Math.min(cycleRatePerSecond, upper / (1 + this.options.tolerance));
    if (this.lower !== undefined && bound <= this.lower) return true;
    this.lower = bound;
    this.setTrial(this.middle(), nowMs);
    return true;
  }

  /**
   * The limiter waits on its own until `untilMs` (after a 429): a trial proves nothing while
   * nothing is sent, so its hold starts when the wait ends.
   */
  holdFrom(untilMs: number, nowMs: number): void {
    this.lastWaitMs = Math.max(0, untilMs - nowMs);
    // the wait is decided after the loss: let its cost shape the trial the loss just set
    if (this.lastDecreaseMs === nowMs) this.trial = this.middle();
    this.trialSinceMs = Math.max(this.trialSinceMs, untilMs);
  }

  /** Moves the trial after a clean hold: up the bracket, or a probe above it. */
  private step(nowMs: number): void {
    const { holdPeriods, probeHoldPeriods, tolerance } = this.options;
    const upper = this.upper;
    if (upper === undefined) return;
    const converged = this.lower !== undefined && upper <= this.lower * (1 + tolerance);
    // a failed probe costs the wait a 429 imposes (Retry-After can be many periods long): probe
    // rarely enough that those waits stay a small share of the time
    const probeHoldMs = Math.max(
      probeHoldPeriods * this.periodMs,
      this.options.probeHoldWaits * this.lastWaitMs,
    );
    const holdMs = converged ? probeHoldMs * 2 ** this.failedProbes : holdPeriods * this.periodMs;
    if (nowMs - this.trialSinceMs < holdMs) return;
    // the trial ran clean for the hold: it is below the limit
    this.lower = Math.max(this.lower ?? 0, this.trial);
    this.lossesSinceProof = 0;
    if (this.probing) {
      // a probe got through: the limit rose; look further next time
      this.failedProbes = 0;
      this.probeStep *= 2;
    }
    this.probing = false;
    if (this.lower * (1 + tolerance) < upper) {
      this.setTrial(this.middle(), nowMs);
      return;
    }
    this.upper = this.lower * (1 + this.probeStep);
    this.probing = true;
    this.setTrial(this.middle(), nowMs);
  }

  /** The next trial: the bracket's geometric middle, or just below its proven end once tight. */
  private middle(): number {
    const upper = this.upper ?? this.trial;
    if (this.lower === undefined) {
      // nothing proven below the loss: when a 429 costs many periods of waiting (a Retry-After
      // that describes a longer window), fall further, since climbing back is cheap and
      // another 429 is not
      const costly = this.lastWaitMs > COSTLY_WAIT_PERIODS * this.periodMs;
      return upper * (costly ? this.options.decreaseFactor ** 3 : this.options.decreaseFactor);
    }
    if (upper <= this.lower * (1 + this.options.tolerance)) {
      return this.lower * this.options.plateauFraction;
    }
    return Math.sqrt(this.lower * upper);
  }

  private setTrial(ratePerSecond: number, nowMs: number): void {
    this.trial = ratePerSecond;
    this.trialSinceMs = nowMs;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
