import { describe, expect, it } from 'vitest';
import {
  exponentialCapMs,
  fullJitterDelayMs,
  throttleWaitMs,
} from '../../../../core/engine/throttle/backoff';

const options = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('full-jitter backoff', () => {
  it('spans [0, cap) with the injected random source', () => {
    expect(fullJitterDelayMs(2, options, () => 0)).toBe(0);
    expect(fullJitterDelayMs(2, options, () => 0.999999)).toBeCloseTo(400, 2);
    expect(fullJitterDelayMs(2, options, () => 0.5)).toBe(200);
  });

  it('doubles the cap per attempt up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((a) => exponentialCapMs(a, options))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('stays within bounds over many random draws and is actually spread out', () => {
    const draws = Array.from({ length: 2000 }, () => fullJitterDelayMs(3, options));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(800);
    expect(new Set(draws.map((d) => Math.floor(d / 100))).size).toBe(8);
  });

  it('treats Retry-After as a floor under the jittered wait', () => {
    expect(throttleWaitMs(5000, 1, options, () => 0.9)).toBe(5000);
    expect(throttleWaitMs(50, 3, options, () => 0.5)).toBe(400);
    expect(throttleWaitMs(undefined, 0, options, () => 0.5)).toBe(50);
  });
});
