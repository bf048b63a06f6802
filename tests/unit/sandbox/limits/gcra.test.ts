import { describe, expect, it } from 'vitest';
import { createGcraCounter } from '../../../../core/sandbox/limits/gcra';

/** Sends at every millisecond tick it is allowed, like a greedy client; returns admitted times. */
function greedy(counter: ReturnType<typeof createGcraCounter>, limit: number, untilMs: number) {
  const admitted: number[] = [];
  for (let t = 0; t < untilMs; t += 1) {
    while (counter.peek('a', t, limit).count < limit) {
      counter.record('a', t, limit);
      admitted.push(t);
    }
  }
  return admitted;
}

describe('token bucket (GCRA)', () => {
  it('lets a full burst through, then exactly one request per window/limit', () => {
    const admitted = greedy(createGcraCounter(1000, 10), 10, 3000);
    expect(admitted.filter((t) => t === 0)).toHaveLength(10);
    // after the burst: one every 100 ms, 29 more before 3000 ms
    expect(admitted.length).toBe(10 + 29);
    expect(admitted.slice(10, 13)).toEqual([100, 200, 300]);
  });

  it('a smaller burst spreads the same rate', () => {
    const admitted = greedy(createGcraCounter(1000, 10, 2), 10, 1000);
    expect(admitted.filter((t) => t === 0)).toHaveLength(2);
    expect(admitted.length).toBe(2 + 9);
  });

  it('a burst above the limit lets that many through at once, then the same rate', () => {
    // 10 per second with a bucket of 20: a client idle for two seconds may send 20 at once
    const admitted = greedy(createGcraCounter(1000, 10, 20), 10, 1000);
    expect(admitted.filter((t) => t === 0)).toHaveLength(20);
    expect(admitted.length).toBe(20 + 9);
    expect(admitted.slice(20, 22)).toEqual([100, 200]);
  });

  it('says how long until the next token', () => {
    const counter = createGcraCounter(1000, 10);
    for (let i = 0; i < 10; i += 1) counter.record('a', 0);
    expect(counter.peek('a', 30, 10)).toEqual({ count: 10, resetInMs: 70 });
  });

  it('follows a changed limit (its refill interval changes)', () => {
    const counter = createGcraCounter(1000, 10);
    const admitted = greedy(counter, 2, 2000); // the layer now allows 2 per second
    expect(admitted.filter((t) => t === 0)).toHaveLength(2);
    expect(admitted.length).toBeLessThanOrEqual(2 + 4);
  });

  it('with burst 1, admits a sender at exactly the rate on an exact clock, not on a whole-ms one', () => {
    // 12 per second: one every 83.33 ms; the upload bench's "GCRA, burst 1" cell
    const paced = (stamp: (ms: number) => number) => {
      const counter = createGcraCounter(1000, 12, 1);
      let refused = 0;
      for (let i = 0; i < 120; i += 1) {
        const atMs = stamp((i * 1000) / 12);
        if (counter.peek('a', atMs, 12).count >= 12) refused += 1;
        else counter.record('a', atMs, 12);
      }
      return refused;
    };
    expect(paced((ms) => ms)).toBe(0);
    // stamped 83 ms apart now and then: early by a fraction of a millisecond, so refused
    expect(paced(Math.floor)).toBeGreaterThan(0);
  });
});
