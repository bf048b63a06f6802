import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OrgLimiter, type Permit } from '../../../../core/engine/throttle/org-limiter';
import { FakeClock } from '../fake-clock';
import { roomyHeaders } from './quick-limiter';

function limiter(
  clock: FakeClock,
  extra: Partial<ConstructorParameters<typeof OrgLimiter>[0]> = {},
): OrgLimiter {
  return new OrgLimiter({
    clock,
    random: () => 0.5,
    headroom: 0.1,
    windowMarginMs: 0,
    backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
    rateController: { initialRatePerSecond: 1000, maxRatePerSecond: 1000 },
    ...extra,
  });
}

/** Requests as fast as the limiter allows for `untilMs` from now, answering each with `answer`. */
async function drive(
  clock: FakeClock,
  org: OrgLimiter,
  untilMs: number,
  answer: (permit: Permit, index: number) => Parameters<OrgLimiter['complete']>[1],
): Promise<number[]> {
  const grantedAtMs: number[] = [];
  let stop = false;
  const loop = async (): Promise<void> => {
    while (!stop) {
      const permit = await org.acquire();
      if (!permit) return;
      if (stop) {
        org.complete(permit, { signal: 'ok', latencyMs: 1 });
        return;
      }
      grantedAtMs.push(permit.sentAtMs);
      org.complete(permit, answer(permit, grantedAtMs.length - 1));
    }
  };
  const loops = [loop(), loop()];
  untilMs += clock.nowMs();
  await clock.advanceTo(untilMs);
  stop = true;
  await clock.advanceTo(untilMs + 10_000);
  await Promise.all(loops);
  return grantedAtMs.filter((t) => t < untilMs);
}

describe('OrgLimiter', () => {
  it('spends exactly the window budget minus headroom, then waits for the reset', async () => {
    const clock = new FakeClock();
    const org = limiter(clock);
    // the server's fixed window opens with the first request after the previous one ended
    let windowStart = -Infinity;
    const windowCounts: number[] = [];
    await drive(clock, org, 3500, (permit) => {
      if (permit.sentAtMs >= windowStart + 1000) {
        windowStart = permit.sentAtMs;
        windowCounts.push(0);
      }
      const count = (windowCounts.pop() ?? 0) + 1;
      windowCounts.push(count);
      const reset = String((windowStart + 1000 - clock.nowMs()) / 1000);
      return {
        signal: 'ok',
        latencyMs: 1,
        headers: {
          'inin-ratelimit-allowed': '20',
          'inin-ratelimit-count': String(count),
          'inin-ratelimit-reset': reset,
        },
      };
    });
    // budget = floor(20 × 0.9) = 18 per window: every complete window spends it, none exceeds it
    expect(windowCounts.length).toBeGreaterThanOrEqual(3);
    expect(windowCounts.slice(0, -1)).toEqual(windowCounts.slice(0, -1).map(() => 18));
    expect(Math.max(...windowCounts)).toBeLessThanOrEqual(18);
  });

  it('holds every request for max(Retry-After, jittered backoff) after a 429', async () => {
    const clock = new FakeClock();
    const org = limiter(clock);
    const granted = await drive(clock, org, 5000, (_permit, index) =>
      index === 3
        ? { signal: 'throttled', latencyMs: 1, retryAfterMs: 2000 }
        : { signal: 'ok', latencyMs: 1 },
    );
    const throttledAt = granted[3] ?? 0;
    const next = granted[4] ?? 0;
    expect(next - throttledAt).toBeGreaterThanOrEqual(2000);
  });

  it('never waits less than Retry-After, even when the headers show it describes another layer', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, {
      rateController: { initialRatePerSecond: 20, maxRatePerSecond: 1000 },
    });
    // the reported layer has room (count < allowed): a hidden layer refused, and Retry-After
    // (3 s) is the reported layer's reset, far longer than the engine's own estimate
    const headers = {
      'inin-ratelimit-allowed': '1000',
      'inin-ratelimit-count': '5',
      'inin-ratelimit-reset': '3',
    };
    const granted = await drive(clock, org, 10_000, (_permit, index) =>
      index === 30 || index === 60
        ? { signal: 'throttled', latencyMs: 1, headers, retryAfterMs: 3000 }
        : { signal: 'ok', latencyMs: 1, headers },
    );
    expect(org.snapshot().hiddenLimitLearned).toBe(true);
    for (const index of [30, 60]) {
      expect((granted[index + 1] ?? 0) - (granted[index] ?? 0)).toBeGreaterThanOrEqual(3000);
    }
  });

  it('waits a Retry-After that has held as given, not its own estimate of a hidden layer', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, {
      rateController: { initialRatePerSecond: 5, maxRatePerSecond: 1000 },
    });
    // the reported layer (a minute's window) has room; a hidden fixed window allows 2 requests
    // per 3 s, and its honest Retry-After (whole seconds to its reset) is always enough. The
    // pace overshoots the hidden limit many times over, yet the wait must stay Retry-After,
    // never a pause sized from the reported layer's minute-long period.
    const headers = {
      'inin-ratelimit-allowed': '300',
      'inin-ratelimit-count': '5',
      'inin-ratelimit-reset': '60',
    };
    let windowStartMs = -Infinity;
    let used = 0;
    const refusals: Array<{ atMs: number; retryAfterMs: number }> = [];
    const granted = await drive(clock, org, 60_000, (permit) => {
      if (permit.sentAtMs >= windowStartMs + 3000) {
        windowStartMs = permit.sentAtMs;
        used = 0;
      }
      used += 1;
      if (used <= 2) return { signal: 'ok', latencyMs: 1, headers };
      const retryAfterMs = Math.ceil((windowStartMs + 3000 - permit.sentAtMs) / 1000) * 1000;
      refusals.push({ atMs: permit.sentAtMs, retryAfterMs });
      return { signal: 'throttled', latencyMs: 1, headers, retryAfterMs };
    });
    expect(refusals.length).toBeGreaterThan(0);
    expect(org.snapshot().retryAfterTrusted).toBe(true);
    // 20 windows of 3 s: a run that waited a minute per 429 would have sent a handful
    expect(granted.length).toBeGreaterThanOrEqual(30);
    for (const { atMs, retryAfterMs } of refusals) {
      const next = granted.find((sentAtMs) => sentAtMs > atMs);
      if (next === undefined) continue;
      expect(next - atMs).toBeGreaterThanOrEqual(retryAfterMs - 0.001); // float sums of the fake clock
      // Retry-After plus the jittered backoff (at most 1 s here), not a minute
      expect(next - atMs).toBeLessThanOrEqual(retryAfterMs + 1000);
    }
  });

  it('stops trusting a Retry-After that proved too short, and escalates', async () => {
    const clock = new FakeClock();
    const org = limiter(clock);
    const granted = await drive(clock, org, 20_000, (_permit, index) =>
      index === 0 || index === 1
        ? { signal: 'throttled', latencyMs: 1, retryAfterMs: 1000 }
        : { signal: 'ok', latencyMs: 1 },
    );
    expect(org.snapshot().retryAfterTrusted).toBe(false);
    const firstWait = (granted[1] ?? 0) - (granted[0] ?? 0);
    const secondWait = (granted[2] ?? 0) - (granted[1] ?? 0);
    expect(firstWait).toBeGreaterThanOrEqual(1000);
    expect(secondWait).toBeGreaterThanOrEqual(2000);
  });

  it('learns a hidden limit: a 429 while count < allowed lowers the pace', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, {
      rateController: { initialRatePerSecond: 50, maxRatePerSecond: 1000 },
    });
    const headers = {
      'inin-ratelimit-allowed': '1000',
      'inin-ratelimit-count': '5',
      'inin-ratelimit-reset': '60',
    };
    await drive(clock, org, 1000, () => ({ signal: 'ok', latencyMs: 1, headers }));
    const before = org.snapshot().pacingRatePerSecond;
    await drive(clock, org, 500, (_p, index) =>
      index === 0
        ? { signal: 'throttled', latencyMs: 1, headers, retryAfterMs: 10 }
        : { signal: 'ok', latencyMs: 1, headers },
    );
    const after = org.snapshot();
    expect(after.hiddenLimitLearned).toBe(true);
    expect(after.pacingRatePerSecond).toBeLessThan(before);
    // the pace alone reads what the snapshot shows
    expect(org.pacingRatePerSecond()).toBe(after.pacingRatePerSecond);
  });

  // a hidden window of `budget` per quarter second: slow start's first cycle gets that many
  // through, then a 429; then a long cycle (40 s at the learned pace, then a 429) spans many
  // windows: read as the period, it made every hold and climb after it last minutes
  async function firstCycleThenLongOne(budget: number): Promise<[number, number]> {
    const clock = new FakeClock();
    const org = limiter(clock, {
      minLimitPeriodMs: 10,
      rateController: { initialRatePerSecond: 20, maxRatePerSecond: 1000 },
    });
    const headers = roomyHeaders(2);
    await drive(clock, org, 400, (_p, index) =>
      index === budget
        ? { signal: 'throttled', latencyMs: 1, headers, retryAfterMs: 50 }
        : { signal: 'ok', latencyMs: 1, headers },
    );
    const firstPeriodMs = org.limitPeriodMs;
    await drive(clock, org, 40_000, () => ({ signal: 'ok', latencyMs: 1, headers }));
    await drive(clock, org, 100, (_p, index) =>
      index === 0
        ? { signal: 'throttled', latencyMs: 1, headers, retryAfterMs: 50 }
        : { signal: 'ok', latencyMs: 1, headers },
    );
    return [firstPeriodMs, org.limitPeriodMs];
  }

  it("times the limit period by slow start's first cycle, though a small budget let only 3 through", async () => {
    const [firstMs, laterMs] = await firstCycleThenLongOne(3);
    expect(firstMs).toBeLessThan(400);
    expect(laterMs).toBeLessThan(400);
  });

  it("times the limit period by slow start's first cycle, though a limit without burst let only 1 through", async () => {
    // a GCRA admits one and refuses the next, sent a spacing later: that one request is its
    // budget, not the headers' 2 s window; and the long cycle after it still times nothing
    const [firstMs, laterMs] = await firstCycleThenLongOne(1);
    expect(firstMs).toBeLessThan(400);
    expect(laterMs).toBeLessThan(400);
  });

  it('honours a long Retry-After only up to the cap, and says it paused for it', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, { maxRetryAfterMs: 120_000 });
    const permit = (await Promise.all([org.acquire(), clock.advanceTo(0)]))[0] as Permit;
    const waitMs = org.complete(permit, {
      signal: 'throttled',
      latencyMs: 1,
      retryAfterMs: 300_000,
    });
    expect(waitMs).toBe(120_000);
    const snapshot = org.throttleSnapshot();
    expect(snapshot.backoff).toMatchObject({
      retryAfterMs: 300_000,
      waitMs: 120_000,
      pausedForLongRetryAfter: true,
    });
    expect(snapshot.reason).toContain('paused for a long Retry-After, waiting 120 s');
    let next = false;
    void org.acquire().then(() => (next = true));
    await clock.advanceTo(119_000);
    expect(next).toBe(false);
    await clock.advanceTo(121_000);
    expect(next).toBe(true);
  });

  it('says in one sentence that a tighter hidden limit binds and how long it waits', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, {
      rateController: { initialRatePerSecond: 4, maxRatePerSecond: 1000 },
    });
    const headers = {
      'inin-ratelimit-allowed': '300',
      'inin-ratelimit-count': '10',
      'inin-ratelimit-reset': '60',
    };
    await drive(clock, org, 3000, (_permit, index) =>
      index === 8
        ? { signal: 'throttled', latencyMs: 1, headers, retryAfterMs: 1000 }
        : { signal: 'ok', latencyMs: 1, headers },
    );
    const snapshot = org.throttleSnapshot();
    expect(snapshot.reportedLimitPerMinute).toBe(300);
    expect(snapshot.headroom).toBe(0.1);
    expect(snapshot.learnedHiddenLimitPerMinute).not.toBeNull();
    expect(snapshot.learnedHiddenLimitPerMinute ?? 0).toBeLessThan(270);
    expect(snapshot.reason).toMatch(
      /^Genesys reports 300\/min for this client, but a tighter limit of about \d+(\.\d)?\/min binds\.$/,
    );
  });

  it('keeps at least minConcurrency requests in flight when asked', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, { minConcurrency: 4, initialConcurrency: 4 });
    const permits = await Promise.all([
      org.acquire(),
      org.acquire(),
      org.acquire(),
      org.acquire(),
      clock.advanceTo(100),
    ]);
    // fast answers: rate × latency needs 2 at most, but the floor asked for is 4
    for (const permit of permits.slice(0, 4)) {
      org.complete(permit as Permit, { signal: 'ok', latencyMs: 1 });
    }
    expect(org.snapshot().concurrency).toBe(4);
  });

  it('never has more requests in flight than its concurrency limit', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, { initialConcurrency: 3 });
    const three = Promise.all([org.acquire(), org.acquire(), org.acquire()]);
    await clock.advanceTo(100);
    const permits = await three;
    let fourth = false;
    void org.acquire().then(() => (fourth = true));
    await clock.advanceTo(5000);
    expect(fourth).toBe(false);
    expect(org.snapshot().inFlight).toBe(3);
    // fast answers shrink the need for parallelism: the limit adapts to rate × latency (≥ 2)
    org.complete(permits[0] as Permit, { signal: 'ok', latencyMs: 1 });
    org.complete(permits[1] as Permit, { signal: 'ok', latencyMs: 1 });
    await clock.advanceTo(6000);
    expect(fourth).toBe(true);
  });

  /** Three in flight allowed and a fast pace, with headers showing the reported layer far from full. */
  function cappedOrg(clock: FakeClock): { org: OrgLimiter; headers: Record<string, string> } {
    const org = limiter(clock, {
      initialConcurrency: 3,
      rateController: { initialRatePerSecond: 20, maxRatePerSecond: 1000 },
    });
    const headers = {
      'inin-ratelimit-allowed': '1000',
      'inin-ratelimit-count': '5',
      'inin-ratelimit-reset': '60',
    };
    return { org, headers };
  }

  it('a 429 while others were in flight lowers the concurrency, not the pace', async () => {
    const clock = new FakeClock();
    const { org, headers } = cappedOrg(clock);
    // the server takes one request at a time: the second of two in flight is refused
    const [first, second] = await Promise.all([org.acquire(), org.acquire(), clock.advanceTo(500)]);
    expect(org.snapshot().inFlight).toBe(2);
    org.complete(first as Permit, { signal: 'ok', latencyMs: 60, headers });
    const paceBefore = org.snapshot().pacingRatePerSecond;
    org.complete(second as Permit, { signal: 'throttled', latencyMs: 60, headers });
    const after = org.snapshot();
    expect(after.concurrency).toBe(1);
    expect(after.hiddenLimitLearned).toBe(false);
    expect(after.pacingRatePerSecond).toBeGreaterThanOrEqual(paceBefore);
    // from now on one at a time: a second waiter gets no slot while one is out
    const one = (await Promise.all([org.acquire(), clock.advanceTo(5000)]))[0] as Permit;
    let another = false;
    void org.acquire().then(() => (another = true));
    await clock.advanceTo(10_000);
    expect(another).toBe(false);
    org.complete(one, { signal: 'ok', latencyMs: 60, headers });
    await clock.advanceTo(15_000);
    expect(another).toBe(true);
  });

  it('a 429 that met a request sent after it lowers the concurrency, not the pace', async () => {
    // the first upload goes out on a cold connection and arrives after the second, which takes
    // the server's one slot: the first was sent alone, but what refused it was the second in
    // flight (docs/ARCHITECTURE.md, "Requests in flight"). Read as a rate's loss, it set the
    // pace for the whole run at two thirds of what one at a time carries
    const clock = new FakeClock();
    const { org, headers } = cappedOrg(clock);
    const first = (await Promise.all([org.acquire(), clock.advanceTo(10)]))[0] as Permit;
    const second = (await Promise.all([org.acquire(), clock.advanceTo(100)]))[0] as Permit;
    expect(second.sentAtMs).toBeGreaterThan(first.sentAtMs);
    org.complete(first, { signal: 'throttled', latencyMs: 90, headers });
    org.complete(second, { signal: 'ok', latencyMs: 60, headers });
    const after = org.snapshot();
    expect(after.concurrency).toBe(1);
    // no hidden rate learned: the pace is still the reported window's
    expect(after.hiddenLimitLearned).toBe(false);
  });

  it('releases a waiter when its signal aborts', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, { initialConcurrency: 1 });
    await org.acquire();
    const controller = new AbortController();
    const waiting = org.acquire(controller.signal);
    controller.abort();
    await clock.advanceTo(10);
    expect(await waiting).toBeUndefined();
  });

  it('listens to a signal once however many requests wait on it, and its abort releases them all', async () => {
    const clock = new FakeClock();
    const org = limiter(clock, { initialConcurrency: 1 });
    await org.acquire();
    const controller = new AbortController();
    const waiting = [1, 2, 3].map(() => org.acquire(controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await clock.advanceTo(10);
    expect(await Promise.all(waiting)).toEqual([undefined, undefined, undefined]);
  });
});

describe('WindowBudget', () => {
  it('keeps its own reset estimate while the rounded-up header agrees with it', async () => {
    const { WindowBudget } = await import('../../../../core/engine/throttle/window-budget');
    const window = new WindowBudget(0);
    // first header: 5 s window opened at 0, reset rounded up from 4.2 s to 5 s at t = 800 ms
    window.observe({ allowed: 2, count: 1, resetMs: 5000 }, window.issue(0), 800);
    expect(window.resetInMs(800)).toBe(5000);
    window.observe({ allowed: 2, count: 2, resetMs: 5000 }, window.issue(900), 1000);
    expect(window.delayMs(1000, 0)).toBe(4800); // full: wait for the (late) reset
    // the next window opens with our first request after the reset; length learned = 5 s
    const sequence = window.issue(5800);
    window.observe({ allowed: 2, count: 1, resetMs: 5000 }, sequence, 6100); // 4.7 s rounded up
    expect(window.resetInMs(6100)).toBe(4700); // 5800 + 5000, finer than 6100 + 5000
    window.observe({ allowed: 2, count: 1, resetMs: 60_000 }, window.issue(6200), 6300);
    expect(window.resetInMs(6300)).toBe(60_000); // disagreement: the header wins
  });
});
