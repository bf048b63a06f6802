import { describe, expect, it } from 'vitest';
import { RateController } from '../../../../core/engine/throttle/rate-controller';

const options = {
  initialRatePerSecond: 2,
  slowStartGrowthPerSecond: 1,
  decreaseFactor: 0.7,
  plateauFraction: 0.97,
  recoverySeconds: 4,
  plateauHoldSeconds: 8,
  probeSpeed: 0.25,
};

describe('RateController', () => {
  it('grows like slow start until the first 429', () => {
    const controller = new RateController(0, options);
    expect(controller.rate(0)).toBeCloseTo(2);
    expect(controller.rate(1000)).toBeCloseTo(4);
    expect(controller.rate(3000)).toBeCloseTo(16);
    expect(controller.hasLearnedLimit).toBe(false);
  });

  it('decreases multiplicatively on a 429, once per burst', () => {
    const controller = new RateController(0, options);
    controller.seed(10, 0);
    expect(controller.onThrottle(0, 0)).toBe(true);
    expect(controller.rate(0)).toBeCloseTo(7);
    // requests sent before the decrease do not decrease again
    expect(controller.onThrottle(10, -5)).toBe(false);
    expect(controller.losses).toBe(1);
  });

  it('learns the loss point from what succeeded when that is lower', () => {
    const controller = new RateController(0, options);
    controller.seed(20, 0);
    controller.onThrottle(0, 0, 10);
    expect(controller.lastLossRatePerSecond).toBe(10);
    expect(controller.rate(0)).toBeCloseTo(7);
  });

  it('recovers fast, plateaus just below the loss point, then probes slowly above it', () => {
    const controller = new RateController(0, options);
    controller.seed(10, 0);
    controller.onThrottle(0, 0);
    const at = (seconds: number): number => controller.rate(seconds * 1000);
    // concave recovery: most of the way back within half of K
    expect(at(2)).toBeGreaterThan(9.2);
    expect(at(4)).toBeCloseTo(9.7);
    // plateau held below the loss point
    for (const s of [4, 6, 8, 10, 12]) {
      expect(at(s)).toBeCloseTo(9.7);
      expect(at(s)).toBeLessThan(10);
    }
    // slow probe above it afterwards
    expect(at(13)).toBeLessThan(10);
    expect(at(20)).toBeGreaterThan(10);
    expect(at(20)).toBeGreaterThan(at(16));
  });

  it('bisects between what a loss cycle let through and the rate that drew the 429', () => {
    const controller = new RateController(0, options);
    expect(controller.refine(5, 0)).toBe(false); // no loss yet: nothing to refine
    controller.seed(20, 0);
    controller.onThrottle(0, 0);
    // 10/s got through, 20/s drew the 429: the geometric middle is √200
    expect(controller.refine(10, 3000)).toBe(true);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(200));
    // straight to the plateau below it, and held there
    expect(controller.rate(3000)).toBeCloseTo(Math.sqrt(200) * 0.97);
    expect(controller.rate(3000 + 8000)).toBeCloseTo(Math.sqrt(200) * 0.97);
    // a better cycle raises the lower bound; a worse one does not lower it
    controller.refine(15, 12_000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(15 * 20));
    controller.refine(5, 13_000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(15 * 20));
  });

  it('forgets the lower bound when a loss comes at or below it (the limit fell)', () => {
    const controller = new RateController(0, options);
    controller.seed(20, 0);
    controller.onThrottle(0, 0);
    controller.refine(15, 3000);
    controller.onThrottle(20_000, 20_000, 8); // 8/s drew a 429 now
    controller.refine(4, 23_000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(4 * 8));
  });

  it('ignores seeds after a loss is learned', () => {
    const controller = new RateController(0, options);
    controller.onThrottle(0, 0);
    const before = controller.rate(100);
    controller.seed(100, 100);
    expect(controller.rate(100)).toBe(before);
  });
});
