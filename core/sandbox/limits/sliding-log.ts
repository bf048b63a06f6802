import type { WindowCounter, WindowState } from './window-counter';

/**
 * Sliding log (a rolling window): a request counts for exactly `windowMs` after it was admitted. Keeps one
 * timestamp per admitted request in a queue (amortised O(1); memory bounded by the limit).
 */
export function createSlidingLogCounter(windowMs: number): WindowCounter {
  const logs = new Map<string, { times: number[]; head: number }>();
  const prune = (key: string, nowMs: number) => {
    const log = logs.get(key);
    if (log === undefined) return undefined;
    while (log.head < log.times.length && (log.times[log.head] ?? 0) <= nowMs - windowMs) {
      log.head += 1;
    }
    if (log.head > 1024 && log.head * 2 > log.times.length) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    return log;
  };
  return {
    peek(key: string, nowMs: number): WindowState {
      const log = prune(key, nowMs);
      if (log === undefined || log.head >= log.times.length)
        return { count: 0, resetInMs: windowMs };
      const oldest = log.times[log.head] ?? nowMs;
      return { count: log.times.length - log.head, resetInMs: oldest + windowMs - nowMs };
    },
    record(key: string, nowMs: number): void {
      const log = prune(key, nowMs);
      if (log === undefined) logs.set(key, { times: [nowMs], head: 0 });
      else log.times.push(nowMs);
    },
    clear(): void {
      logs.clear();
    },
  };
}
