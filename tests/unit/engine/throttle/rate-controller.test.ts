import { describe, expect, it } from 'vitest';
import { RateController } from '../../../../core/engine/throttle/rate-controller';

const options = {
  initialRatePerSecond: 2,
  slowStartGrowthPerPeriod: 1,
  decreaseFactor: 0.8,
  tolerance: 0.04,
  plateauFraction: 0.97,
  holdPeriods: 2,
  probeHoldPeriods: 4,
  probeStep: 0.08,
  probeHoldWaits: 5,
};

/** A controller with a 1 s limit period that met a 429 at `lossRate` at time 0. */
function afterLoss(lossRate: number): RateController {
  const controller = new RateController(0, options);
  controller.setPeriod(1000);
  controller.seed(lossRate, 0);
  controller.onThrottle(0, 0);
  return controller;
}

describe('RateController', () => {
  it('grows like slow start, once per limit period, until the first 429', () => {
    const controller = new RateController(0, options);
    controller.setPeriod(500);
    expect(controller.rate(0)).toBeCloseTo(2);
    expect(controller.rate(500)).toBeCloseTo(4);
    expect(controller.rate(1500)).toBeCloseTo(16);
    expect(controller.hasLearnedLimit).toBe(false);
  });

  it('decreases on a 429, once per burst', () => {
    const controller = afterLoss(10);
    expect(controller.rate(0)).toBeCloseTo(8);
    // requests sent before the decrease do not decrease again
    expect(controller.onThrottle(10, -5)).toBe(false);
    expect(controller.losses).toBe(1);
  });

  it('takes the first loss point from what succeeded when that is lower', () => {
    const controller = new RateController(0, options);
    controller.seed(20, 0);
    controller.onThrottle(0, 0, 10);
    expect(controller.lastLossRatePerSecond).toBe(10);
    expect(controller.rate(0)).toBeCloseTo(8);
  });

  it('bisects up after clean holds, down on a 429, and settles just below the limit', () => {
    const limit = 9;
    const controller = afterLoss(12);
    let losses = 0;
    // a server that refuses any trial above the limit within one hold
    for (let t = 0; t < 60_000; t += 100) {
      if (controller.rate(t) > limit) {
        controller.onThrottle(t, t);
        losses += 1;
      }
    }
    const settled = controller.rate(60_000);
    expect(settled).toBeLessThanOrEqual(limit);
    expect(settled).toBeGreaterThan(limit * 0.93);
    // a 429 costs no wait here, so probes come every 8 periods at most: a handful of bisection
    // steps, then one failed probe every 8 s
    expect(losses).toBeLessThanOrEqual(10);
  });

  it('the hold of a trial starts when the wait after a 429 ends', () => {
    const controller = afterLoss(10); // trial 8
    controller.holdFrom(2000, 0); // a wait of 2 periods
    expect(controller.rate(3000)).toBeCloseTo(8); // 1 period after the wait: nothing proven yet
    expect(controller.rate(4100)).toBeGreaterThan(8); // 2 periods after the wait: up
  });

  it('falls further when a 429 costs many periods of waiting', () => {
    const cheap = afterLoss(10);
    cheap.holdFrom(1000, 0);
    const costly = afterLoss(10);
    costly.holdFrom(60_000, 0); // Retry-After of a 60 s window, limit period 1 s
    expect(cheap.rate(0)).toBeCloseTo(8);
    expect(costly.rate(0)).toBeCloseTo(10 * 0.8 ** 3);
  });

  it('probes above a settled rate, and finds a limit that rose', () => {
    const controller = afterLoss(10);
    let limit = 8.5;
    const stepped: number[] = [];
    for (let t = 0; t < 200_000; t += 100) {
      if (t === 60_000) limit = 14; // another tool stopped: more budget
      if (controller.rate(t) > limit) controller.onThrottle(t, t);
      if (t % 10_000 === 0) stepped.push(controller.rate(t));
    }
    expect(stepped[5]).toBeLessThanOrEqual(8.5);
    // the highest rate proven clean climbed to the new limit, never past it
    expect(controller.provenRatePerSecond ?? 0).toBeGreaterThan(14 * 0.9);
    expect(controller.provenRatePerSecond ?? 0).toBeLessThanOrEqual(14);
  });

  it('a 429 while less got through than once ran clean: the limit fell, search again', () => {
    const controller = afterLoss(10);
    for (let t = 0; t < 20_000; t += 100) if (controller.rate(t) > 9) controller.onThrottle(t, t);
    expect(controller.provenRatePerSecond).toBeGreaterThan(8);
    controller.onThrottle(20_000, 20_000, 4); // only 4/s got through lately
    expect(controller.provenRatePerSecond).toBeUndefined();
    expect(controller.rate(20_000)).toBeLessThanOrEqual(4);
  });

  it('a closed loss cycle raises the lower bound of the search', () => {
    const controller = afterLoss(20);
    expect(controller.refine(10, 3000)).toBe(true);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(200));
    expect(controller.rate(3000)).toBeCloseTo(Math.sqrt(200));
  });

  it('ignores seeds after a loss is learned', () => {
    const controller = afterLoss(10);
    const before = controller.rate(100);
    controller.seed(100, 100);
    expect(controller.rate(100)).toBe(before);
  });
});
