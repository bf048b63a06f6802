/**
 * Time, injectable so the throttle's pure pieces can be tested without waiting. `nowMs` is a
 * monotonic millisecond clock; `sleep` resolves after `delayMs` or early when `signal` aborts.
 */
export interface Clock {
  nowMs(): number;
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const systemClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (delayMs, signal) =>
    new Promise<void>((resolve) => {
      if (delayMs <= 0 || signal?.aborted) return resolve();
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
