import type { HeaderMap } from './rate-limit-headers';

/** A granted request slot; hand it back to `complete` exactly once. */
export interface GatePermit {
  readonly sequence: number;
  readonly sentAtMs: number;
}

/** What one answer taught the org's limiter. */
export interface GateFeedback {
  /** `ok`, a 429, or anything else (5xx, network, 4xx: no pacing signal). */
  signal: 'ok' | 'throttled' | 'other';
  /**
   * With `other`: the request got past the rate limits (a 5xx, or an answer lost after the
   * request went out), so it spent the budget a success spends (see `passedLimits`).
   */
  passedLimits?: boolean;
  headers?: HeaderMap;
  latencyMs: number;
  /** The wait a 429 asked for, ms. */
  retryAfterMs?: number;
  /**
   * A call beside the run's uploads (a list read, the limits read, an import call: every call
   * through `GenesysHttp`). It spent the org's budget and its headers and its 429 speak for the
   * org, but its success says nothing of the hidden layers the uploads meet (a per-org upload
   * limit its route never reaches), so it enters none of their measures. Absent for an upload.
   */
  sideCall?: boolean;
}

/**
 * What a Genesys call needs from the org's limiter (`OrgLimiter` in core/engine/throttle is
 * the implementation): a permit before the request, the answer's lesson after it. Declared here
 * so the HTTP layer does not depend on the throttle's internals.
 */
export interface RequestGate {
  /** Waits for a slot; undefined when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<GatePermit | undefined>;
  /** Returns the slot with what the answer taught. */
  complete(permit: GatePermit, feedback: GateFeedback): unknown;
}
