import { describe, expect, it } from 'vitest';
import { ThrottleWait } from '../../../../core/engine/throttle/throttle-wait';

function wait(): ThrottleWait {
  return new ThrottleWait({
    backoff: { baseDelayMs: 100, maxDelayMs: 1_000 },
    maxRetryAfterMs: 60_000,
    random: () => 0,
  });
}

describe('ThrottleWait', () => {
  it('a lengthened wait ends later and says so in the decision the run shows', () => {
    const throttle = wait();
    throttle.onThrottle(1_000, 990, 2_000, 0);
    throttle.extendTo(3_500);
    expect(throttle.blockedUntilMs).toBe(3_500);
    expect(throttle.lastDecision?.waitMs).toBe(2_500);
    expect(throttle.lastDecision?.retryAfterMs).toBe(2_000);
  });

  it('never shortens when asked to lengthen, nor lengthens when asked to shorten', () => {
    const throttle = wait();
    throttle.onThrottle(1_000, 990, 2_000, 0);
    throttle.extendTo(2_500);
    throttle.shortenTo(4_000);
    expect(throttle.blockedUntilMs).toBe(3_000);
    expect(throttle.lastDecision?.waitMs).toBe(2_000);
  });

  it('a shortened wait never ends before it began, and the decision follows it', () => {
    const throttle = wait();
    throttle.onThrottle(1_000, 990, 2_000, 0);
    throttle.shortenTo(500);
    expect(throttle.blockedUntilMs).toBe(3_000);
    throttle.shortenTo(2_200);
    expect(throttle.blockedUntilMs).toBe(2_200);
    expect(throttle.lastDecision?.waitMs).toBe(1_200);
  });

  it('the first request after a lengthened wait is still the one that proves Retry-After short', () => {
    const early = wait();
    early.onThrottle(1_000, 990, 2_000, 0);
    early.extendTo(3_500);
    // sent after Retry-After's end but inside the lengthened wait: it honoured nothing
    early.onThrottle(3_600, 3_200, 2_000, 0);
    expect(early.retryAfterTrusted).toBe(true);

    const after = wait();
    after.onThrottle(1_000, 990, 2_000, 0);
    after.extendTo(3_500);
    after.onThrottle(3_600, 3_500, 2_000, 0);
    expect(after.retryAfterTrusted).toBe(false);
  });
});
