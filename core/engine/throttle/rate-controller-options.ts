/** Tuning of the hidden-layer rate controller (rates in requests per second). */
export interface RateControllerOptions {
  /** Rate before anything is known (no headers, no limits API, no 429 yet). */
  initialRatePerSecond: number;
  minRatePerSecond: number;
  maxRatePerSecond: number;
  /** Before the first 429: the rate multiplies by (1 + this) every limit period (slow start). */
  slowStartGrowthPerPeriod: number;
  /** After a 429 the pace restarts at `lossRate × this` (what got through, times this). */
  decreaseFactor: number;
  /** Limit periods the concave climb takes to return to the last loss rate. */
  recoveryPeriods: number;
  /** Requests the concave climb takes at least (so short windows do not probe every second). */
  recoveryRequests: number;
  /**
   * The pace holds at the loss rate until this many times the wait the last loss cost has
   * passed: a probe's 429 holds the org for its Retry-After, so probes are spaced for their
   * waits to stay a small share of the time.
   */
  recoveryLossCosts: number;
  /**
   * A loss costs at least this many requests' time at the loss rate, however short its wait:
   * each probe draws a 429, and with holds of `recoveryLossCosts` costs, probes after waits
   * of a request or two would refuse one request in 20 to 40; at 5, one in 100 at most (1%,
   * half of what the run may see refused).
   */
  minLossCostRequests: number;
  /** Past the cubic's probe (two recoveries), the pace multiplies by (1 + this) per period. */
  probeGrowthPerPeriod: number;
  /**
   * A loss whose wait was shorter than this many limit periods is cheap to probe again: a fall
   * after it counts as the limit moving (`LimitDrift`), without the proof a rate kept long
   * enough gives. Longer waits (a Retry-After of a longer layer than the one that binds) keep
   * slow start's convergence from reading as movement, and its probes from costing their waits.
   */
  cheapWaitPeriods: number;
  /** What got through below this share of the pace means the limit is below the pace: it becomes the loss rate. */
  fellShortShare: number;
  /** One loss sets the loss rate to no less than this share of the pace that drew it. */
  lossFloorShare: number;
}

/** Defaults: the time constants are in limit periods, which `setPeriod` measures. */
export const defaultRateControllerOptions: RateControllerOptions = {
  initialRatePerSecond: 2,
  minRatePerSecond: 0.05,
  maxRatePerSecond: 200,
  slowStartGrowthPerPeriod: 0.5,
  decreaseFactor: 0.96,
  recoveryPeriods: 3,
  recoveryRequests: 20,
  recoveryLossCosts: 20,
  minLossCostRequests: 5,
  probeGrowthPerPeriod: 0.15,
  cheapWaitPeriods: 0.5,
  fellShortShare: 0.85,
  lossFloorShare: 0.6,
};
