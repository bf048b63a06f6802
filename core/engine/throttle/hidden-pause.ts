/** What the pause after a hidden-layer 429 is sized from. */
export interface HiddenPauseInput {
  nowMs: number;
  /** Whether the rate controller had learned a hidden limit before this 429. */
  learned: boolean;
  /** Whether a request sent after the last org-wide wait has succeeded. */
  succeededSinceWait: boolean;
  /** The pause taken after the last hidden 429, ms (undefined: none yet). */
  lastPauseMs: number | undefined;
  /** The pace now, and the pace that drew the 429, requests per second. */
  pacingPerSecond: number;
  pacedPerSecond: number;
  /** What got through since the last loss, requests per second (undefined: nothing). */
  succeededPerSecond: number | undefined;
  /** The measured limit period, ms. */
  periodMs: number;
  /** The run's first success, clock ms (undefined: none yet). */
  firstSuccessMs: number | undefined;
}

/**
 * How long to pause after a 429 from a layer the headers do not describe, ms (docs/
 * ARCHITECTURE.md, "Throttle"): their Retry-After is the reported layer's, so the limiter
 * sizes the pause from what it measured; the org waits the longer of it and Retry-After.
 * Undefined when nothing has been measured yet.
 */
export function hiddenPauseMs(input: HiddenPauseInput): number | undefined {
  const { nowMs, learned, lastPauseMs, pacedPerSecond, succeededPerSecond, periodMs } = input;
  // nothing got through since the last pause: it was too short, whatever the estimate
  if (learned && !input.succeededSinceWait && lastPauseMs !== undefined) return lastPauseMs * 2;
  const spacingMs = 1000 / input.pacingPerSecond;
  if (learned) {
    // a pace just above a hidden limit spends its budget just before the budget renews (a
    // window's reset, a bucket's next token, a sliding log's oldest entry ageing out):
    // wait the share of a period the overshoot took, at least two requests' spacing
    const overshoot = Math.max(0, 1 - (succeededPerSecond ?? pacedPerSecond) / pacedPerSecond);
    return Math.min(periodMs, 2 * spacingMs + 1.5 * overshoot * periodMs);
  }
  if (input.firstSuccessMs === undefined) return undefined;
  // the first loss ends slow start's burst from a fresh budget: at half again the limit's
  // rate that budget renews after half as long again as the burst took
  return Math.max(2 * spacingMs, 0.5 * (nowMs - input.firstSuccessMs));
}
