import { describe, expect, it } from 'vitest';
import { createConcurrencyCap } from '../../../../core/sandbox/limits/concurrency-cap';

describe('concurrency cap', () => {
  it('counts requests in flight until they are released', () => {
    const cap = createConcurrencyCap(1000);
    cap.record('a', 0);
    cap.record('a', 0);
    expect(cap.peek('a', 0)).toEqual({ count: 2, resetInMs: 1000 });
    cap.release?.('a', 5);
    expect(cap.peek('a', 5).count).toBe(1);
    cap.release?.('a', 6);
    cap.release?.('a', 7); // an extra release never goes negative
    expect(cap.peek('a', 7).count).toBe(0);
  });
});
