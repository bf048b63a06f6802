import type { WindowCounter, WindowState } from './window-counter';

/**
 * Sliding-window counter, the approximation many API gateways use instead of a full log: fixed
 * buckets of `windowMs` aligned to the clock; the count is the current bucket plus the previous
 * one weighted by how much of it still overlaps the rolling window. O(1) memory per key.
 */
export function createSlidingWindowCounter(windowMs: number): WindowCounter {
  const buckets = new Map<string, { startMs: number; current: number; previous: number }>();
  const roll = (key: string, nowMs: number) => {
    const startMs = Math.floor(nowMs / windowMs) * windowMs;
    const bucket = buckets.get(key);
    if (bucket === undefined) return { startMs, current: 0, previous: 0 };
    if (bucket.startMs === startMs) return bucket;
    const previous = bucket.startMs === startMs - windowMs ? bucket.current : 0;
    return { startMs, current: 0, previous };
  };
  return {
    peek(key: string, nowMs: number, limit?: number): WindowState {
      const { startMs, current, previous } = roll(key, nowMs);
      const endMs = startMs + windowMs;
      const count = Math.floor(previous * (1 - (nowMs - startMs) / windowMs) + current);
      const target = limit ?? count; // when does the count fall below the limit (or by one)?
      let freeAtMs: number;
      if (current >= target) {
        // this bucket alone is full: wait for the next one, where it fades as the previous
        freeAtMs = endMs + (current > 0 ? windowMs * (1 - target / current) : 0);
      } else {
        freeAtMs = previous > 0 ? startMs + windowMs * (1 - (target - current) / previous) : nowMs;
      }
      return { count, resetInMs: Math.max(1, Math.ceil(freeAtMs - nowMs)) };
    },
    record(key: string, nowMs: number): void {
      const bucket = roll(key, nowMs);
      bucket.current += 1;
      buckets.set(key, bucket);
    },
    clear(): void {
      buckets.clear();
    },
  };
}
