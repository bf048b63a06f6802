import { describe, expect, it } from 'vitest';
import { HiddenPause, type HiddenPauseInput } from '../../../../core/engine/throttle/hidden-pause';
import type { LimitLayerConfig } from '../../../../core/sandbox/types';
import { REPORTED, SCALED_LIMITER } from '../../../bench/upload/cells';
import { admittedRate, simulateUpload, throttledShare } from './simulated-org';

/** A 429 at `nowMs` on a pace of 10/s (100 ms spacing), the run's first success at 0. */
function at(nowMs: number, extra: Partial<HiddenPauseInput> = {}): HiddenPauseInput {
  return {
    nowMs,
    learned: false,
    succeededSinceWait: true,
    pacingPerSecond: 10,
    pacedPerSecond: 10,
    succeededPerSecond: 10,
    periodMs: 2000,
    firstSuccessMs: 0,
    ...extra,
  };
}

describe('HiddenPause', () => {
  it("ends slow start's first loss with a probe two requests after it, then waits out the estimate", () => {
    const pause = new HiddenPause(5);
    // slow start's burst ran 1.2 s: its budget renews by 0.6 s after the loss at the latest
    // guess, but a burst just above the limit finds it renewing at once; probe first
    const first = pause.pauseMs(at(1200));
    expect(first).toBeCloseTo(200);
    pause.onWait(first);
    // the probe was refused too: wait until the estimate (1.8 s), not a doubled 0.4 s
    const second = pause.pauseMs(at(1400, { learned: true, succeededSinceWait: false }));
    expect(second).toBeCloseTo(400);
    pause.onWait(second);
    // and refused at the estimate's end: the budget renews past it, most likely just past, so
    // one probe's step (two requests, 200 ms) tries that before any wait doubles
    const third = pause.pauseMs(at(1800, { learned: true, succeededSinceWait: false }));
    expect(third).toBeCloseTo(200);
    pause.onWait(third);
    // refused too: the estimate was short by more, and the estimate's pause doubles
    expect(pause.pauseMs(at(2000, { learned: true, succeededSinceWait: false }))).toBeCloseTo(800);
  });

  it('takes a first burst that outlasted the reported window over that window only', () => {
    const pause = new HiddenPause(5);
    // 10 s at the pace the headers cap before the first hidden 429: no burst from a fresh
    // budget (the limit fell under the pace, or a bucket refills just under it), and half of
    // it (5 s) would be waited out after a refused probe. Over the 2 s window: 1 s
    const first = pause.pauseMs(at(10_000, { reportedWindowMs: 2000 }));
    expect(first).toBeCloseTo(200);
    pause.onWait(first);
    const second = pause.pauseMs(
      at(10_200, { learned: true, succeededSinceWait: false, reportedWindowMs: 2000 }),
    );
    expect(second).toBeCloseTo(800);
  });

  it('forgets the first loss estimate once a request got through', () => {
    const pause = new HiddenPause(5);
    pause.onWait(pause.pauseMs(at(1200)));
    // the probe went through; a later loss at a pace 10% above what got through waits its
    // share of the period (1.5 x 10% of 2 s) past two requests' spacing: 500 ms, as long as
    // five requests (what a refused probe costs), so it is waited out without a probe
    const later = pause.pauseMs(at(4000, { learned: true, succeededPerSecond: 9 }));
    expect(later).toBeCloseTo(500);
    pause.onWait(later);
    expect(pause.pauseMs(at(4600, { learned: true, succeededSinceWait: false }))).toBeCloseTo(1000);
  });

  it('goes ahead of a later estimate longer than a probe costs with a probe', () => {
    const pause = new HiddenPause(5);
    pause.onWait(pause.pauseMs(at(1200)));
    // 20% above what got through: 200 + 1.5 x 20% x 2 s = 800 ms, more than five requests
    const later = pause.pauseMs(at(4000, { learned: true, succeededPerSecond: 8 }));
    expect(later).toBeCloseTo(200);
    pause.onWait(later);
    // the probe refused: the rest of the estimate, to 4.8 s
    const rest = pause.pauseMs(at(4250, { learned: true, succeededSinceWait: false }));
    expect(rest).toBeCloseTo(550);
  });

  it('has no pause to offer before anything got through', () => {
    expect(new HiddenPause(5).pauseMs(at(500, { firstSuccessMs: undefined }))).toBeUndefined();
  });
});

/** The limiter's time constants at the bench's scale (15x), as simulate-matrix sets them. */
describe('OrgLimiter pausing for a hidden layer without Retry-After', () => {
  // the bench's scale (tests/bench/upload/cells.ts, 15x): a reported 40 per 2 s, and a hidden
  // fixed window of 18 per 1.02 s per token, which slow start's first burst meets just as the
  // window ends; no Retry-After at all
  const layers: LimitLayerConfig[] = [
    REPORTED,
    {
      name: 'hidden',
      scope: 'token',
      requests: 18,
      windowMs: 1020,
      window: 'fixed',
      reported: false,
    },
  ];

  it('resumes as soon as the window renews, and learns the limit, not the pause', async () => {
    const durationMs = 17_000;
    const run = await simulateUpload({
      layers,
      retryAfterMode: 'missing',
      durationMs,
      latencyMs: 5,
      seedPerMinute: 600,
      limiter: SCALED_LIMITER,
    });
    const limitPerSecond = 18 / 1.02;
    // half a window's pause after the first 429 diluted the next loss's measure to 2/3 of the
    // limit, held for 20 such pauses: the run got 67% of it
    expect(admittedRate(run, 0, durationMs)).toBeGreaterThan(0.88 * limitPerSecond);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
  });

  it('probes ahead of a later pause too, where the window resets well before the estimate', async () => {
    // a hidden per-org fixed window of 46 per 2.68 s: a pace just above it spends the
    // budget right before the reset, where the estimate from the overshoot waits most of a
    // window; waited out every time, the run got 87% of the limit
    const durationMs = 21_000;
    const run = await simulateUpload({
      layers: [
        REPORTED,
        {
          name: 'hidden',
          scope: 'org',
          endpoint: 'POST /api/v2/outbound/contactlists/{id}/contacts',
          requests: 46,
          windowMs: 2680,
          window: 'fixed',
          reported: false,
        },
      ],
      retryAfterMode: 'missing',
      durationMs,
      latencyMs: 5,
      seedPerMinute: 600,
      limiter: SCALED_LIMITER,
    });
    expect(admittedRate(run, 0, durationMs)).toBeGreaterThan(0.93 * (46 / 2.68));
    expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
  });
});
