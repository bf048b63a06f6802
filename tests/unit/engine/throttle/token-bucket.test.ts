import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../core/engine/throttle/token-bucket';

describe('TokenBucket', () => {
  it('releases exactly rate × seconds tokens after the initial burst', () => {
    const bucket = new TokenBucket(10, 1, 0);
    let taken = 0;
    for (let nowMs = 0; nowMs <= 2000; nowMs += 1) if (bucket.tryTake(nowMs)) taken += 1;
    // 1 burst token at t=0 + 10/s for 2 s
    expect(taken).toBe(21);
  });

  it('reports the delay until the next token', () => {
    const bucket = new TokenBucket(4, 1, 0);
    expect(bucket.tryTake(0)).toBe(true);
    expect(bucket.delayUntilNextMs(0)).toBeCloseTo(250);
    expect(bucket.delayUntilNextMs(100)).toBeCloseTo(150);
    expect(bucket.tryTake(250)).toBe(true);
  });

  it('never saves up more than one token over a pause', () => {
    const bucket = new TokenBucket(100, 3, 0);
    let taken = 0;
    while (bucket.tryTake(60_000)) taken += 1;
    expect(taken).toBe(1);
  });

  it('while requests flow, catches up a late timer from the slack above one token', () => {
    const bucket = new TokenBucket(10, 1.5, 0);
    expect(bucket.tryTake(0)).toBe(true);
    // the timer for 100 ms fired 30 ms late: the next one is due at 200 ms, not 230 ms
    expect(bucket.tryTake(130)).toBe(true);
    expect(bucket.delayUntilNextMs(130)).toBeCloseTo(70);
    const strict = new TokenBucket(10, 1, 0);
    strict.tryTake(0);
    strict.tryTake(130);
    expect(strict.delayUntilNextMs(130)).toBeCloseTo(100);
  });

  it('applies a new rate from the moment it is set and drains on demand', () => {
    const bucket = new TokenBucket(1, 1, 0);
    bucket.tryTake(0);
    bucket.setRate(10, 0);
    expect(bucket.delayUntilNextMs(0)).toBeCloseTo(100);
    bucket.tryTake(100);
    bucket.drain(150);
    expect(bucket.tryTake(150)).toBe(false);
    expect(() => bucket.setRate(0, 0)).toThrow(/positive/);
  });

  it('keeps no slack once its burst is set to 1, and drops the tokens above it', () => {
    const bucket = new TokenBucket(10, 1.5, 0);
    bucket.tryTake(0);
    bucket.setBurst(1);
    expect(bucket.burst).toBe(1);
    // a late timer is no longer caught up: the next is a whole spacing after the late one
    expect(bucket.tryTake(130)).toBe(true);
    expect(bucket.delayUntilNextMs(130)).toBeCloseTo(100);
    bucket.setBurst(0.5);
    expect(bucket.burst).toBe(1);
  });
});
