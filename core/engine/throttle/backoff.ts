/** A random number in [0, 1); injectable so jitter is testable. */
export type RandomSource = () => number;

/** Options for exponential backoff (milliseconds). */
export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Defaults: 500 ms doubling to 30 s. */
export const defaultBackoff: BackoffOptions = { baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * "Full jitter" backoff: a uniform delay in [0, min(max, base·2^attempt)). Jitter spreads
 * clients that were throttled together (no jitter = thundering herds across tenants, docs/GENESYS.md).
 * `attempt` starts at 0 for the first retry.
 */
export function fullJitterDelayMs(
  attempt: number,
  options: BackoffOptions = defaultBackoff,
  random: RandomSource = Math.random,
): number {
  return random() * exponentialCapMs(attempt, options);
}

/** The upper bound of the full-jitter window for `attempt`, milliseconds. */
export function exponentialCapMs(
  attempt: number,
  options: BackoffOptions = defaultBackoff,
): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
}

/**
 * The wait after a 429 (docs/ARCHITECTURE.md, "The throttle"): `Retry-After` is a floor, the jittered backoff comes on
 * top of nothing, and the larger of the two wins.
 */
export function throttleWaitMs(
  retryAfterMs: number | undefined,
  attempt: number,
  options: BackoffOptions = defaultBackoff,
  random: RandomSource = Math.random,
): number {
  return Math.max(retryAfterMs ?? 0, fullJitterDelayMs(attempt, options, random));
}
