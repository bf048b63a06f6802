import { defaultBackoff, type BackoffOptions, type RandomSource } from './backoff';
import { systemClock, type Clock } from './clock';
import type { RateControllerOptions } from './rate-controller-options';
import type { GateFeedback } from '../../genesys/http/request-gate';
import type { ThrottleSnapshot } from './throttle-snapshot';

/** Tuning of one org's limiter. */
export interface OrgLimiterOptions {
  /** Share of the published limit left for the customer's own traffic (0.1 = 10%). */
  headroom: number;
  initialConcurrency: number;
  minConcurrency: number;
  maxConcurrency: number;
  /** Extra wait after a window reset before sending again, milliseconds. */
  windowMarginMs: number;
  /** Shortest limit period assumed, ms (the scale of the rate controller's holds and probes). */
  minLimitPeriodMs: number;
  /** A Retry-After over this is honoured only up to it, and reported as a long pause, ms. */
  maxRetryAfterMs: number;
  backoff: BackoffOptions;
  rateController: Partial<RateControllerOptions>;
  clock: Clock;
  random: RandomSource;
}

/**
 * Defaults (docs/ARCHITECTURE.md, "The throttle"): 10% headroom, 3 in flight to start,
 * Retry-After capped at 120 s.
 */
export const defaultOrgLimiterOptions: OrgLimiterOptions = {
  headroom: 0.1,
  initialConcurrency: 3,
  minConcurrency: 1,
  maxConcurrency: 16,
  windowMarginMs: 20,
  minLimitPeriodMs: 1000,
  maxRetryAfterMs: 120_000,
  backoff: defaultBackoff,
  rateController: {},
  clock: systemClock,
  random: Math.random,
};

/** What the engine learned from one answer (the HTTP layer's `GateFeedback`). */
export type PermitFeedback = GateFeedback;

/** A point-in-time view for the metrics. */
export interface OrgLimiterSnapshot {
  pacingRatePerSecond: number;
  concurrency: number;
  inFlight: number;
  backoffRemainingMs: number;
  budgetUsed?: number;
  retryAfterTrusted: boolean;
  hiddenLimitLearned: boolean;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** What the throttle is doing and why (limits, the current wait, one sentence). */
  throttle?: ThrottleSnapshot;
}
