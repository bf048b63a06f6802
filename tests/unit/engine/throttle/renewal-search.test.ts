import { describe, expect, it } from 'vitest';
import { RenewalSearch } from '../../../../core/engine/throttle/hidden-pause';
import { simulateBehindHiddenWindowAtBenchScale } from './upload-layers';

/** `count` successes sent 50 ms apart from `fromMs`, then a 429 (the cycle's loss). */
function cycle(search: RenewalSearch, fromMs: number, count: number): number {
  for (let i = 0; i < count; i += 1) search.onSuccess(fromMs + 50 * i, i === 0);
  const lossMs = fromMs + 50 * count;
  search.onHiddenThrottle(lossMs, false);
  return lossMs;
}

describe('RenewalSearch', () => {
  it('bisects the renewal between a refused probe and an admitted one', () => {
    const search = new RenewalSearch();
    cycle(search, 0, 24);
    // nothing proven yet: Retry-After alone sizes the wait
    expect(search.renewedByMs(10)).toBeUndefined();
    // the first request after the wait, 2 s after the cycle began, refused: not renewed by then
    search.onHiddenThrottle(2000, true);
    // admitted at 4 s: renewed by then
    cycle(search, 4000, 24);
    expect(search.bounds).toEqual({ budget: 24, lowerMs: 2000, upperMs: 4000 });
    // the next cycle's wait ends at its beginning plus the bounds' geometric middle
    expect(search.renewedByMs(10)).toBeCloseTo(4000 + Math.sqrt(2000 * 4000));
    // that probe admitted: the middle is the new upper bound
    cycle(search, 4000 + Math.sqrt(2000 * 4000), 24);
    expect(search.bounds.upperMs).toBeCloseTo(Math.sqrt(2000 * 4000));
  });

  it('times only a cycle that spent the same budget, of ten requests or more', () => {
    const search = new RenewalSearch();
    cycle(search, 0, 24);
    search.onHiddenThrottle(2000, true);
    cycle(search, 4000, 12); // another count: a limit that moved, a bucket's partial refill
    expect(search.renewedByMs(10)).toBeUndefined();
    expect(search.bounds).toEqual({ budget: 24, lowerMs: 2000, upperMs: 4000 });
    const small = new RenewalSearch();
    cycle(small, 0, 3);
    small.onHiddenThrottle(500, true);
    cycle(small, 1000, 3);
    expect(small.renewedByMs(10)).toBeUndefined();
  });

  it("gives a cycle's loss the bounds only when it spent their budget and a refused probe proved the lower one", () => {
    const search = new RenewalSearch();
    cycle(search, 0, 24);
    expect(search.spentBounds(10)).toBeUndefined();
    search.onHiddenThrottle(2000, true);
    // refused, then admitted at 4 s: this cycle spent the 24 the bounds are of
    cycle(search, 4000, 24);
    expect(search.spentBounds(10)).toEqual({ budget: 24, lowerMs: 2000, upperMs: 4000 });
    // a cycle of another count: the bounds start over with it and say nothing of its loss
    cycle(search, 8000, 12);
    expect(search.spentBounds(10)).toBeUndefined();
  });

  it("keeps the first cycle's bounds for a larger count: the session's reads spent part of that budget", () => {
    // the reads went at 0 and took 2 of a per-client window of 24; the uploads began at 100 ms
    // and were refused after 22, then 2 s after the first upload
    const afterReads = (): RenewalSearch => {
      const search = new RenewalSearch();
      for (let i = 0; i < 22; i += 1) search.onSuccess(100 + 50 * i, i === 0, 0);
      search.onHiddenThrottle(1200, false);
      search.onHiddenThrottle(2100, true);
      return search;
    };
    const search = afterReads();
    // admitted at 4.1 s: the budget had renewed by 4.1 s after the first read, the earliest
    // it can have opened (from the first upload, 4 s, it is not proven)
    cycle(search, 4100, 24);
    // the count of the second cycle, 24, is the budget's, with the first cycle's bounds
    expect(search.spentBounds(10)).toEqual({ budget: 24, lowerMs: 2000, upperMs: 4100 });
    expect(search.renewedByMs(10)).toBeCloseTo(4100 + Math.sqrt(2000 * 4100));
    // a smaller count after them is another budget's, as before
    const smaller = afterReads();
    cycle(smaller, 4100, 20);
    expect(smaller.spentBounds(10)).toBeUndefined();
  });

  it("counts the first cycle's upper bound from its first upload once a later cycle spent the same count", () => {
    // the reads went at 0, the uploads from 100 ms: 24 admitted, refused 2 s after the first
    // upload, admitted 2.2 s after it (2.3 s after the first read, the earliest the budget can
    // have opened while nothing says the reads spent none of it)
    const search = new RenewalSearch();
    for (let i = 0; i < 24; i += 1) search.onSuccess(100 + 50 * i, i === 0, 0);
    search.onHiddenThrottle(1300, false);
    search.onHiddenThrottle(2100, true);
    search.onSuccess(2300, true);
    expect(search.bounds.upperMs).toBe(2300);
    // the next cycle, from a fresh budget, spends 24 too: the reads spent none of the first
    // one, which opened with the first upload, so it had renewed by 2.2 s
    for (let i = 1; i < 24; i += 1) search.onSuccess(2300 + 50 * i, false);
    search.onHiddenThrottle(2300 + 50 * 24, false);
    expect(search.spentBounds(10)).toEqual({ budget: 24, lowerMs: 2000, upperMs: 2200 });
    expect(search.renewedByMs(10)).toBeCloseTo(2300 + Math.sqrt(2000 * 2200));
  });

  it('starts over when a renewal contradicts the bounds', () => {
    const search = new RenewalSearch();
    cycle(search, 0, 24);
    search.onHiddenThrottle(2000, true);
    cycle(search, 4000, 24);
    // admitted 1.5 s after its cycle began, sooner than one proven refused: no fixed renewal
    const lossMs = cycle(search, 4000 + 2828, 24);
    search.onSuccess(4000 + 2828 + 1500, true);
    expect(lossMs).toBeLessThan(4000 + 2828 + 1500);
    expect(search.bounds).toEqual({ budget: 24, lowerMs: 0, upperMs: Infinity });
  });
});

describe("OrgLimiter without Retry-After, slow start's estimate refused just before the renewal", () => {
  it('bounds the renewal from a probe one step past the estimate, not from a doubled wait', async () => {
    // the field report's layers without Retry-After, the hidden window 24 per 2.02 s (11.9/s):
    // the wait after slow start's loss ends at its estimate of the renewal, a shade before the
    // hidden window closes, and that request is refused. The doubled wait then admitted the
    // next request 40% of a window past the renewal; the renewal search's bounds set the loss
    // rate at 24 over their middle (10/s), and the pace stayed there for the rest of the run
    const durationMs = 25_000;
    const run = await simulateBehindHiddenWindowAtBenchScale(
      { hiddenWindowMs: 2020, hidden: 24 },
      { durationMs, retryAfterMode: 'missing', sessionReads: { list: true, sessionOpenMs: 30 } },
    );
    const admitted = run.requests.filter((r) => r.ok).length;
    expect(admitted).toBeGreaterThan(0.95 * (24 / 2.02) * (durationMs / 1000));
    expect(run.requests.filter((r) => !r.ok).length).toBeLessThanOrEqual(4);
  });
});

describe('OrgLimiter after a Retry-After proven short', () => {
  it('waits past it by the renewal the cycles measured, where the next request was refused', async () => {
    // the field report's layers with the hidden window 1/0.85 times longer (24 per 2.35 s,
    // 10.2/s): a short Retry-After names the reported 2 s window's reset, before the hidden
    // window's close, and the request sent then is refused and waits the whole reported window
    const run = await simulateBehindHiddenWindowAtBenchScale(
      { hiddenWindowMs: 2353, hidden: 24 },
      { durationMs: 12_000, limitsReadLeadMs: 30 },
    );
    const refused = run.requests.filter((r) => !r.ok).map((r) => r.sentAtMs);
    // slow start's loss and the request refused at Retry-After's end (nothing proves it short
    // before), then the second cycle's loss; its wait ends past the hidden window's close (the
    // first request after it is admitted), so the third 429 is a loss of a cycle, after 8 s
    expect(refused.filter((atMs) => atMs < 8000)).toHaveLength(3);
    expect(refused.length).toBeLessThanOrEqual(5);
  });

  it("paces a cycle that spent the searched budget at the rate of the search's next try, not its measure", async () => {
    // the field report's hidden window at 0.7 of the bench's rate (24 per 2.86 s, 8.4/s): the
    // second cycle, restarted at slow start's pace after a wait the search ended, measures
    // 12/s; paced there, the third cycle drew a 429 and a whole reported window's wait
    const run = await simulateBehindHiddenWindowAtBenchScale(
      { hiddenWindowMs: 2857, hidden: 24 },
      { durationMs: 30_000, sessionReads: { list: true, sessionOpenMs: 30 } },
    );
    const refused = run.requests.filter((r) => !r.ok);
    // slow start's loss, the request refused at Retry-After's end, the second cycle's loss
    expect(refused).toHaveLength(3);
    expect(run.requests.filter((r) => r.ok).length).toBeGreaterThan(0.92 * 8.4 * 30);
  });
});
