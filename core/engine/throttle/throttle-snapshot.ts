/** What the throttle is doing and why, for the run's charts (rates per minute, like Genesys). */
export interface ThrottleSnapshot {
  /** The pace requests are released at now, requests per minute. */
  pacingRatePerMinute: number;
  /** The limit the `inin-ratelimit-*` headers describe, requests per minute; null when none. */
  reportedLimitPerMinute: number | null;
  /** Share of the reported limit left for the customer's own traffic (0.1 = 10%). */
  headroom: number;
  /** The tighter limit learned from 429s the headers did not explain, per minute; null when none. */
  learnedHiddenLimitPerMinute: number | null;
  /** The org-wide wait after the last 429, while it lasts; null when not waiting. */
  backoff: {
    /** The Retry-After received, milliseconds; null when the 429 had none. */
    retryAfterMs: number | null;
    /** The wait actually taken, milliseconds. */
    waitMs: number;
    remainingMs: number;
    /** Retry-After asked for more than the cap: the run is paused for a long Retry-After. */
    pausedForLongRetryAfter: boolean;
  } | null;
  /** Whether Retry-After has proved long enough so far. */
  retryAfterTrusted: boolean;
  /** One sentence a consultant can read. */
  reason: string;
}

/** What the org limiter knows, for `buildThrottleSnapshot` (rates per second, clock ms). */
export interface ThrottleState {
  nowMs: number;
  pacingRatePerSecond: number;
  /** The window the `inin-ratelimit-*` headers describe, once seen. */
  reportedWindow: { allowed: number; lengthMs: number } | undefined;
  headroom: number;
  learnedHiddenLimitPerSecond: number | undefined;
  /** When the org-wide wait ends (in the past when none). */
  blockedUntilMs: number;
  /** The last wait decided, with its Retry-After. */
  lastWait:
    { waitMs: number; retryAfterMs: number | undefined; cappedLongRetryAfter: boolean } | undefined;
  retryAfterTrusted: boolean;
}

/**
 * What the throttle is doing and why, for the UI's charts: the pace, the reported limit and
 * headroom, the learned hidden limit, the current wait with the Retry-After received and the
 * wait actually taken, and one sentence saying it.
 */
export function buildThrottleSnapshot(state: ThrottleState): ThrottleSnapshot {
  const window = state.reportedWindow;
  const hidden = state.learnedHiddenLimitPerSecond;
  const remainingMs = Math.max(0, state.blockedUntilMs - state.nowMs);
  const wait = state.lastWait;
  const base = {
    pacingRatePerMinute: state.pacingRatePerSecond * 60,
    reportedLimitPerMinute:
      window && window.lengthMs > 0 ? (window.allowed * 60_000) / window.lengthMs : null,
    headroom: state.headroom,
    learnedHiddenLimitPerMinute: hidden === undefined ? null : hidden * 60,
    backoff:
      remainingMs > 0 && wait
        ? {
            retryAfterMs: wait.retryAfterMs ?? null,
            waitMs: wait.waitMs,
            remainingMs,
            pausedForLongRetryAfter: wait.cappedLongRetryAfter,
          }
        : null,
    retryAfterTrusted: state.retryAfterTrusted,
  };
  return { ...base, reason: describeThrottle(base) };
}

/** Builds the snapshot's one-sentence reason from its numbers. */
export function describeThrottle(snapshot: Omit<ThrottleSnapshot, 'reason'>): string {
  const reported = snapshot.reportedLimitPerMinute;
  const hidden = snapshot.learnedHiddenLimitPerMinute;
  const pace = perMinute(snapshot.pacingRatePerMinute);
  let why: string;
  if (reported !== null) {
    const budget = reported * (1 - snapshot.headroom);
    why =
      hidden !== null && hidden < budget
        ? `Genesys reports ${perMinute(reported)} for this client, but a tighter limit of about ${perMinute(hidden)} binds`
        : `Genesys reports ${perMinute(reported)} for this client; pacing at ${pace} leaves ${Math.round(snapshot.headroom * 100)}% for other traffic`;
  } else {
    why =
      hidden !== null
        ? `No limit is reported; the limit met is about ${perMinute(hidden)}`
        : `No limit is reported yet; pacing at ${pace} and feeling for the limit`;
  }
  const wait = snapshot.backoff;
  if (wait === null) return `${why}.`;
  const said =
    wait.retryAfterMs === null
      ? 'no Retry-After came'
      : `Retry-After said ${seconds(wait.retryAfterMs)}`;
  if (wait.pausedForLongRetryAfter) {
    return `${why}; ${said}, more than the cap: paused for a long Retry-After, waiting ${seconds(wait.waitMs)}.`;
  }
  // Retry-After is a floor: the wait is never shorter, and longer only when the engine
  // knows the refusing layer frees later (or the backoff's jitter drew more)
  const longer =
    wait.retryAfterMs !== null && wait.waitMs > wait.retryAfterMs + 100
      ? ' (never less than Retry-After; the limit met frees later)'
      : '';
  return `${why}; ${said}, waiting ${seconds(wait.waitMs)}${longer}.`;
}

function perMinute(rate: number): string {
  return `${rate >= 10 ? Math.round(rate) : Number(rate.toFixed(1))}/min`;
}

function seconds(ms: number): string {
  return `${ms >= 10_000 ? Math.round(ms / 1000) : Number((ms / 1000).toFixed(1))} s`;
}
