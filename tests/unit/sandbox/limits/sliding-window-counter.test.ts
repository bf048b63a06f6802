import { describe, expect, it } from 'vitest';
import { createSlidingWindowCounter } from '../../../../core/sandbox/limits/sliding-window-counter';

describe('sliding-window counter', () => {
  it('weights the previous bucket by how much of it the rolling window still covers', () => {
    const counter = createSlidingWindowCounter(1000);
    for (let i = 0; i < 10; i += 1) counter.record('a', 500);
    expect(counter.peek('a', 900, 10).count).toBe(10);
    // 250 ms into the next bucket, three quarters of the previous one still count
    expect(counter.peek('a', 1250, 10).count).toBe(7);
    expect(counter.peek('a', 1750, 10).count).toBe(2);
    expect(counter.peek('a', 2100, 10).count).toBe(0);
  });

  it('says when the count falls below the limit', () => {
    const counter = createSlidingWindowCounter(1000);
    for (let i = 0; i < 10; i += 1) counter.record('a', 100);
    // bucket [0, 1000) is full: the next one opens at 1000 and the old bucket fades from there;
    // below a limit of 8 once 2/10 of the window has passed (1200)
    expect(counter.peek('a', 400, 8).resetInMs).toBe(800);
    expect(counter.peek('a', 1300, 8).count).toBe(7);
    counter.record('a', 1300);
    expect(counter.peek('a', 1300, 8).count).toBe(8);
  });

  it('keeps keys apart and forgets everything on clear', () => {
    const counter = createSlidingWindowCounter(1000);
    counter.record('a', 0);
    expect(counter.peek('b', 0, 5).count).toBe(0);
    counter.clear();
    expect(counter.peek('a', 0, 5).count).toBe(0);
  });
});
