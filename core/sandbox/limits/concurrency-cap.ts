import type { WindowCounter, WindowState } from './window-counter';

/**
 * A cap on requests in flight per key: `record` when a request is admitted, `release` when its
 * answer is sent (or its socket dropped). There is no window to wait for, so the wait it reports
 * is `retryMs` (a gateway answering "too many concurrent requests" has no better figure).
 */
export function createConcurrencyCap(retryMs: number): WindowCounter {
  const inFlight = new Map<string, number>();
  return {
    peek: (key: string): WindowState => ({ count: inFlight.get(key) ?? 0, resetInMs: retryMs }),
    record(key: string): void {
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    },
    release(key: string): void {
      const count = (inFlight.get(key) ?? 0) - 1;
      if (count > 0) inFlight.set(key, count);
      else inFlight.delete(key);
    },
    clear(): void {
      inFlight.clear();
    },
  };
}
