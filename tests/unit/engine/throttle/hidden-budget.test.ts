import { describe, expect, it } from 'vitest';
import { HiddenBudgetEstimator } from '../../../../core/engine/throttle/hidden-budget';

/** `count` successes evenly from `fromMs` to `toMs` (answered at their send time). */
function succeed(estimator: HiddenBudgetEstimator, count: number, fromMs: number, toMs: number) {
  const estimates: Array<number | undefined> = [];
  for (let i = 0; i < count; i += 1) {
    const atMs = fromMs + ((toMs - fromMs) * i) / Math.max(1, count - 1);
    estimates.push(estimator.onSuccess(atMs, atMs));
  }
  return estimates;
}

describe('HiddenBudgetEstimator', () => {
  it('measures N over the whole cycle once a success after the 429 closes it', () => {
    const estimator = new HiddenBudgetEstimator();
    // 48 got through in 2.8 s, a 429 at 2.8 s, the first request after the wait succeeds at 5.8 s
    expect(succeed(estimator, 48, 0, 2800).every((e) => e === undefined)).toBe(true);
    estimator.onHiddenThrottle(2800, 2800);
    // the budget that admitted 48 had renewed by 5.8 s: at least 48 / 5.8 s
    expect(estimator.onSuccess(5800, 5800)).toBeCloseTo(48 / 5.8);
  });

  it('counts answers in flight at the 429 in the cycle they were admitted in', () => {
    const estimator = new HiddenBudgetEstimator();
    succeed(estimator, 10, 0, 900);
    estimator.onHiddenThrottle(1000, 1000);
    // sent before the 429, answered after it: still the old cycle's budget
    expect(estimator.onSuccess(1010, 990)).toBeUndefined();
    expect(estimator.onSuccess(3000, 3000)).toBeCloseTo(11 / 3);
  });

  it('a request sent before a later 429 does not close the cycle', () => {
    const estimator = new HiddenBudgetEstimator();
    succeed(estimator, 20, 0, 1000);
    estimator.onHiddenThrottle(1000, 1000);
    estimator.onHiddenThrottle(2000, 2000); // the budget had not renewed by 2 s
    expect(estimator.onSuccess(2100, 1500)).toBeUndefined();
    expect(estimator.onSuccess(3000, 3000)).toBeCloseTo(21 / 3);
  });

  it('starts a new cycle with the success that closed the last one', () => {
    const estimator = new HiddenBudgetEstimator();
    succeed(estimator, 20, 0, 1000);
    estimator.onHiddenThrottle(1000, 1000);
    estimator.onSuccess(2000, 2000); // cycle 2 opens at 2 s with 1 success
    succeed(estimator, 29, 2100, 4000);
    estimator.onHiddenThrottle(4000, 4000);
    expect(estimator.onSuccess(5000, 5000)).toBeCloseTo(30 / 3);
  });

  it('a late 429 for a request sent before the cycle began does not end it', () => {
    const estimator = new HiddenBudgetEstimator();
    succeed(estimator, 20, 0, 1000);
    estimator.onHiddenThrottle(1000, 1000);
    estimator.onSuccess(2000, 2000); // cycle 2 opens at 2 s
    estimator.onHiddenThrottle(2050, 990); // sent in cycle 1, answered late
    succeed(estimator, 29, 2100, 2500);
    estimator.onHiddenThrottle(2500, 2500);
    // 30 successes since 2 s (not 29 since 2.1 s, had the late 429 opened a cycle)
    expect(estimator.onSuccess(3000, 3000)).toBeCloseTo(30 / 1, 5);
  });

  it('gives no estimate from too few successes, nor before anything succeeded', () => {
    const estimator = new HiddenBudgetEstimator();
    estimator.onHiddenThrottle(0, 0); // nothing succeeded yet: ignored
    succeed(estimator, 2, 0, 100);
    estimator.onHiddenThrottle(200, 200);
    expect(estimator.onSuccess(1000, 1000)).toBeUndefined();
  });
});
