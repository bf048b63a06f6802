import { OrgLimiter } from '../../../../core/engine/throttle/org-limiter';
import type { FakeClock } from '../fake-clock';

/**
 * An OrgLimiter on a fake clock that starts at 20 requests a second and times limit periods
 * down to 10 ms, for fake-clock runs of a hidden limit a few seconds long.
 */
export function quickLimiter(clock: FakeClock): OrgLimiter {
  return new OrgLimiter({
    clock,
    random: () => 0.5,
    backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
    minLimitPeriodMs: 10,
    rateController: { initialRatePerSecond: 20, maxRatePerSecond: 1000 },
  });
}

/** Headers of a reported layer far from its limit (1000 allowed, 5 used), resetting in `resetSeconds`. */
export function roomyHeaders(resetSeconds: number): Record<string, string> {
  return {
    'inin-ratelimit-allowed': '1000',
    'inin-ratelimit-count': '5',
    'inin-ratelimit-reset': String(resetSeconds),
  };
}
