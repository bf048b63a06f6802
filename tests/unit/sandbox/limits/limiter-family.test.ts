import { describe, expect, it } from 'vitest';
import { LayeredRateLimiter } from '../../../../core/sandbox/limits/layered-limiter';
import type { LimitLayerConfig } from '../../../../core/sandbox/types';

const ROUTE = 'POST /api/v2/outbound/contactlists/{id}/contacts';
const layer = (extra: Partial<LimitLayerConfig>): LimitLayerConfig => ({
  name: 'layer',
  scope: 'client',
  requests: 10,
  windowMs: 1000,
  window: 'fixed',
  reported: false,
  ...extra,
});
const who = (extra: Partial<{ clientId: string; token: string; userId: string }> = {}) => ({
  clientId: 'c1',
  orgId: 'o1',
  route: ROUTE,
  ...extra,
});

/** An honest limiter of one org-wide layer, 20 requests a second, shared with a background consumer. */
const orgWithConsumer = (background: LimitLayerConfig['background']): LayeredRateLimiter =>
  new LayeredRateLimiter([layer({ scope: 'org', requests: 20, background })], 'honest');

/** Admitted requests when `subject` asks every `stepMs` from 0 to `untilMs` (the Sandbox's clock, no wall-clock). */
function admittedOver(
  limiter: LayeredRateLimiter,
  untilMs: number,
  stepMs: number,
  subject = who(),
): number[] {
  const times: number[] = [];
  for (let t = 0; t < untilMs; t += stepMs) if (limiter.admit(subject, t).admitted) times.push(t);
  return times;
}

describe('limiter family: scopes', () => {
  it('token scope: a new token gets a fresh budget, the client does not', () => {
    const limiter = new LayeredRateLimiter([layer({ scope: 'token', requests: 1 })], 'honest');
    expect(limiter.admit(who({ token: 't1' }), 0).admitted).toBe(true);
    expect(limiter.admit(who({ token: 't1' }), 1).admitted).toBe(false);
    expect(limiter.admit(who({ token: 't2' }), 2).admitted).toBe(true);
  });

  it('user scope is shared across clients; user-client scope is not', () => {
    const user = new LayeredRateLimiter([layer({ scope: 'user', requests: 1 })], 'honest');
    expect(user.admit(who({ clientId: 'pkce', userId: 'u1' }), 0).admitted).toBe(true);
    expect(user.admit(who({ clientId: 'other', userId: 'u1' }), 1).admitted).toBe(false);
    const perClient = new LayeredRateLimiter(
      [layer({ scope: 'user-client', requests: 1 })],
      'honest',
    );
    expect(perClient.admit(who({ clientId: 'pkce', userId: 'u1' }), 0).admitted).toBe(true);
    expect(perClient.admit(who({ clientId: 'other', userId: 'u1' }), 1).admitted).toBe(true);
    expect(perClient.admit(who({ clientId: 'pkce', userId: 'u1' }), 2).admitted).toBe(false);
  });
});

describe('limiter family: shapes over a long run', () => {
  for (const window of ['fixed', 'sliding', 'sliding-counter', 'token-bucket'] as const) {
    it(`${window}: a greedy client gets the limit's rate over many windows, no more`, () => {
      const limiter = new LayeredRateLimiter([layer({ window, requests: 20 })], 'honest');
      const admitted = admittedOver(limiter, 30_000, 5);
      // 20 per second over 30 s: the first window's burst aside, no shape gives more
      expect(admitted.length).toBeGreaterThanOrEqual(20 * 30 * 0.95);
      expect(admitted.length).toBeLessThanOrEqual(20 * 31 + 1);
    });
  }

  it('concurrency: refuses past the cap until a request is released', () => {
    const limiter = new LayeredRateLimiter(
      [layer({ window: 'concurrency', requests: 2 })],
      'honest',
    );
    const first = limiter.admit(who(), 0);
    expect(limiter.admit(who(), 0).admitted).toBe(true);
    const refused = limiter.admit(who(), 1);
    expect(refused).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    if (first.admitted) first.release();
    expect(limiter.admit(who(), 2).admitted).toBe(true);
  });
});

describe('limiter family: background consumer and limit changes', () => {
  it('a background consumer spends the shared budget, so the client gets what is left', () => {
    const limiter = orgWithConsumer({ ratePerSecond: 8, amplitude: 0, periodMs: 10_000 });
    const admitted = admittedOver(limiter, 20_000, 5);
    expect(admitted.length).toBeGreaterThanOrEqual(12 * 20 * 0.95);
    expect(admitted.length).toBeLessThanOrEqual(12 * 20 * 1.05 + 8);
  });

  it('a varying consumer leaves more in its troughs than at its peaks', () => {
    const limiter = orgWithConsumer({ ratePerSecond: 10, amplitude: 1, periodMs: 20_000 });
    const admitted = admittedOver(limiter, 20_000, 5);
    const peak = admitted.filter((t) => t >= 3000 && t < 7000).length; // consumer near 20/s
    const trough = admitted.filter((t) => t >= 13_000 && t < 17_000).length; // near 0/s
    expect(trough).toBeGreaterThan(peak + 40);
  });

  it("a refused background request goes when the budget frees, not at the uploader's next request", () => {
    // a token bucket of 10/s with no burst (one token every 100 ms), the consumer at 5/s (every
    // 200 ms from 0), the uploader every 200 ms from 150 ms: each uploader request takes the
    // token the consumer's next one wanted, which then waits 50 ms for the next token. Both get
    // their 5/s; a queued request that only went at the uploader's arrival took its token
    const limiter = new LayeredRateLimiter(
      [
        layer({
          scope: 'org',
          window: 'token-bucket',
          requests: 10,
          burst: 1,
          background: { ratePerSecond: 5, amplitude: 0, periodMs: 10_000 },
        }),
      ],
      'honest',
    );
    // the first request starts the consumer's clock (its first request at 0 takes the token)
    expect(limiter.admit(who(), 0).admitted).toBe(false);
    let admitted = 0;
    for (let t = 150; t < 10_000; t += 200) if (limiter.admit(who(), t).admitted) admitted += 1;
    expect(admitted).toBe(50);
  });

  it('a limit that drops mid-run and comes back', () => {
    const limiter = new LayeredRateLimiter(
      [
        layer({
          requests: 20,
          changes: [
            { afterMs: 10_000, requests: 5 },
            { afterMs: 20_000, requests: 20 },
          ],
        }),
      ],
      'honest',
    );
    const admitted = admittedOver(limiter, 30_000, 5);
    const inSpan = (from: number, to: number) => admitted.filter((t) => t >= from && t < to).length;
    expect(inSpan(1000, 10_000)).toBe(9 * 20);
    expect(inSpan(11_000, 20_000)).toBe(9 * 5);
    expect(inSpan(21_000, 30_000)).toBe(9 * 20);
  });
});

describe('limiter family: Retry-After modes', () => {
  const hidden = layer({ name: 'hidden', requests: 2, windowMs: 10_000 });
  const reported = layer({ name: 'reported', requests: 100, windowMs: 2000, reported: true });
  const refuse = (mode: 'long' | 'message-only', longSeconds?: number) => {
    const limiter = new LayeredRateLimiter([reported, hidden], mode, longSeconds);
    limiter.admit(who(), 0);
    limiter.admit(who(), 0);
    return limiter.admit(who(), 500);
  };

  it('long: at least the configured floor, even when the real wait is shorter', () => {
    expect(refuse('long', 45)).toMatchObject({ admitted: false, retryAfterSeconds: 45 });
  });

  it('body: no header, the honest wait only in the message', () => {
    expect(refuse('message-only')).toMatchObject({
      admitted: false,
      retryAfterSeconds: undefined,
      bodyRetryAfterSeconds: 10,
    });
  });
});

describe('limiter family: a time-scaled second', () => {
  // the bench runs a minute's limits in seconds; its Sandbox second is scaled with them
  const hidden = layer({ name: 'hidden', requests: 2, windowMs: 1000 });
  const reported = layer({ name: 'reported', requests: 100, windowMs: 2000, reported: true });
  const refuse = (mode: 'honest' | 'short' | 'long' | 'message-only', secondMs: number) => {
    const limiter = new LayeredRateLimiter([reported, hidden], mode, 45, secondMs);
    limiter.admit(who(), 0);
    limiter.admit(who(), 0);
    return limiter.admit(who(), 730);
  };

  it('rounds waits up to whole scaled seconds and states them in real seconds', () => {
    // the hidden window frees in 270 ms: 3 seconds of 100 ms
    expect(refuse('honest', 100)).toMatchObject({ admitted: false, retryAfterSeconds: 0.3 });
    expect(refuse('message-only', 100)).toMatchObject({ bodyRetryAfterSeconds: 0.3 });
    // the reported window resets in 1270 ms: 13 seconds of 100 ms, in the header and the 429's
    expect(refuse('short', 100)).toMatchObject({
      retryAfterSeconds: 1.3,
      headers: { allowed: 100, count: 2, resetSeconds: 1.3 },
    });
    // a long Retry-After's floor is counted in the same seconds: 45 of 100 ms
    expect(refuse('long', 100)).toMatchObject({ retryAfterSeconds: 4.5 });
  });

  it('keeps whole real seconds by default, as Genesys sends them', () => {
    expect(refuse('honest', 1000)).toMatchObject({ retryAfterSeconds: 1 });
    expect(refuse('short', 1000)).toMatchObject({
      retryAfterSeconds: 2,
      headers: { resetSeconds: 2 },
    });
  });
});
