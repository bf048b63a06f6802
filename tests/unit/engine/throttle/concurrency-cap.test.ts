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

  it('is not met by a 429 while a request sent with as many in flight got through within the period', () => {
    const cap = new ConcurrencyCap(20, 3);
    // answers that vary in time put two in flight under a rate limit too, and they got through
    cap.onSuccess(2, 1000);
    expect(cap.onThrottle(2, 1500, 1000)).toBe(false);
    expect(cap.valueAt(1500)).toBe(Infinity);
    // more in flight than any that got through: a cap may bind there
    expect(cap.onThrottle(3, 1600, 1000)).toBe(true);
    expect(cap.valueAt(1600)).toBe(2);
  });

  it('is met again once the success that disproved it is older than the period', () => {
    const cap = new ConcurrencyCap(20, 3);
    cap.onSuccess(3, 1000);
    expect(cap.onThrottle(2, 1900, 1000)).toBe(false);
    expect(cap.onThrottle(2, 2100, 1000)).toBe(true);
    expect(cap.valueAt(2100)).toBe(1);
  });

  it('is met again after it relaxed, whatever got through before: a long period does not keep an old success recent', () => {
    const cap = new ConcurrencyCap(20, 3);
    expect(cap.onThrottle(2, 200, 2000)).toBe(true);
    // a request sent before that 429 was answered got through with two in flight (the other's
    // answer had left the server, unread)
    cap.onSuccess(2, 250);
    cap.onWait(1000, 2000);
    expect(cap.valueAt(20_200)).toBe(2);
    // a period measured from the cap's own 429s spans its relaxation (20 s here): the success
    // at 250 ms is within it, but the cap relaxed since
    expect(cap.onThrottle(2, 20_300, 20_100)).toBe(true);
    expect(cap.valueAt(20_300)).toBe(1);
  });

  it('still is disproved by a success since it relaxed', () => {
    const cap = new ConcurrencyCap(20, 3);
    cap.onThrottle(2, 0);
    cap.onWait(1000, 2000);
    expect(cap.valueAt(20_000)).toBe(2);
    cap.onSuccess(2, 20_050);
    expect(cap.onThrottle(2, 20_100, 20_000)).toBe(false);
    expect(cap.valueAt(20_100)).toBe(2);
  });
});
