import { describe, expect, it } from 'vitest';
import { createFixedWindowCounter } from '../../../../core/sandbox/limits/fixed-window';

describe('fixed window counter', () => {
  it('opens the window with the first request and resets it windowMs later', () => {
    const counter = createFixedWindowCounter(1000);
    expect(counter.peek('a', 0)).toEqual({ count: 0, resetInMs: 1000 });
    counter.record('a', 100);
    counter.record('a', 600);
    expect(counter.peek('a', 700)).toEqual({ count: 2, resetInMs: 400 });
    expect(counter.peek('a', 1100)).toEqual({ count: 0, resetInMs: 1000 });
    counter.record('a', 1100);
    expect(counter.peek('a', 1200)).toEqual({ count: 1, resetInMs: 900 });
  });

  it('keeps keys apart and forgets everything on clear', () => {
    const counter = createFixedWindowCounter(1000);
    counter.record('a', 0);
    expect(counter.peek('b', 0).count).toBe(0);
    counter.clear();
    expect(counter.peek('a', 0).count).toBe(0);
  });
});
