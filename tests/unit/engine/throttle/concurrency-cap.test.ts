import { describe, expect, it } from 'vitest';
import { ConcurrencyCap } from '../../../../core/engine/throttle/concurrency-cap';

describe('ConcurrencyCap', () => {
  it('is unbounded until a 429 meets requests in flight, then one fewer than that', () => {
    const cap = new ConcurrencyCap(20, 3);
    expect(cap.valueAt(0)).toBe(Infinity);
    expect(cap.onThrottle(1, 0)).toBe(false); // alone in flight: a rate, not a cap
    expect(cap.onThrottle(3, 0)).toBe(true);
    expect(cap.valueAt(0)).toBe(2);
  });

  it('relaxes by one once it held for 20 waits (or 3 periods), and tightens again on a 429', () => {
    const cap = new ConcurrencyCap(20, 3);
    cap.onThrottle(2, 0);
    cap.onWait(1000, 2000); // a 1 s wait: held 20 s (3 periods would be 6 s)
    expect(cap.valueAt(19_000)).toBe(1);
    expect(cap.valueAt(20_000)).toBe(2);
    expect(cap.valueAt(39_000)).toBe(2);
    expect(cap.valueAt(40_000)).toBe(3);
    // the probe met the cap again: back to what held
    expect(cap.onThrottle(3, 41_000)).toBe(true);
    expect(cap.valueAt(41_000)).toBe(2);
  });
});
