import { describe, expect, it } from 'vitest';
import { createSlidingLogCounter } from '../../../../core/sandbox/limits/sliding-log';

describe('sliding log counter', () => {
  it('counts each request for exactly windowMs and frees slots one by one', () => {
    const counter = createSlidingLogCounter(1000);
    counter.record('a', 0);
    counter.record('a', 400);
    counter.record('a', 800);
    expect(counter.peek('a', 900)).toEqual({ count: 3, resetInMs: 100 });
    expect(counter.peek('a', 1000)).toEqual({ count: 2, resetInMs: 400 });
    expect(counter.peek('a', 1801)).toEqual({ count: 0, resetInMs: 1000 });
  });

  it('differs from a fixed window at the boundary: no burst of twice the budget', () => {
    const counter = createSlidingLogCounter(1000);
    for (let i = 0; i < 5; i += 1) counter.record('a', 990);
    expect(counter.peek('a', 1010).count).toBe(5);
  });

  it('stays correct over many requests (queue compaction)', () => {
    const counter = createSlidingLogCounter(100);
    for (let time = 0; time < 5000; time += 1) counter.record('a', time);
    expect(counter.peek('a', 4999).count).toBe(100);
  });
});
