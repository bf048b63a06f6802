import type { WindowCounter, WindowState } from './window-counter';

/**
 * Fixed window that opens with the first request after the previous one closed, as the Genesys
 * headers suggest (`inin-ratelimit-count: 1` together with `-reset: 61` on a one-minute budget,
 * docs/GENESYS.md). O(1) per request.
 */
export function createFixedWindowCounter(windowMs: number): WindowCounter {
  const windows = new Map<string, { startMs: number; count: number }>();
  const current = (key: string, nowMs: number) => {
    const window = windows.get(key);
    return window !== undefined && nowMs < window.startMs + windowMs ? window : undefined;
  };
  return {
    peek(key: string, nowMs: number): WindowState {
      const window = current(key, nowMs);
      if (window === undefined) return { count: 0, resetInMs: windowMs };
      return { count: window.count, resetInMs: window.startMs + windowMs - nowMs };
    },
    record(key: string, nowMs: number): void {
      const window = current(key, nowMs);
      if (window === undefined) windows.set(key, { startMs: nowMs, count: 1 });
      else window.count += 1;
    },
    clear(): void {
      windows.clear();
    },
  };
}
