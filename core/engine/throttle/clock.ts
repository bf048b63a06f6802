/**
 * Time, injectable so the throttle's pure pieces can be tested without waiting. `nowMs` is a
 * monotonic millisecond clock; `sleep` resolves after `delayMs` or early when `signal` aborts.
 * `sleepWakeably` is the same sleep cut short by a call instead of a signal; a clock without it
 * gets one built from `sleep` (see `wakeableSleep`).
 */
export interface Clock {
  nowMs(): number;
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
  sleepWakeably?(delayMs: number): WakeableSleep;
}

/** A sleep that `wake()` ends early; `done` resolves at the delay or at the first `wake()`. */
export interface WakeableSleep {
  done: Promise<void>;
  wake(): void;
}

/** The abort reason of a wake-up built from `sleep` (never thrown, only compared). */
const WAKE_REASON = 'clock wake-up';

/**
 * A wakeable sleep on any clock: the clock's own when it has one, else `sleep` with an
 * AbortController of its own (a fixed abort reason: `abort()` without one builds a
 * DOMException, with a stack, on every wake).
 */
export function wakeableSleep(clock: Clock, delayMs: number): WakeableSleep {
  if (clock.sleepWakeably) return clock.sleepWakeably(delayMs);
  const control = new AbortController();
  return { done: clock.sleep(delayMs, control.signal), wake: () => control.abort(WAKE_REASON) };
}

/**
 * The real clock: `performance.now()` and `setTimeout`. Its wakeable sleep is a timer and a
 * resolve function: the permit pump sleeps about twice per request and is woken by every
 * answer, and an AbortController with its listener and abort event each time was a fifth of
 * the engine's CPU at a steady pace.
 */
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
  sleepWakeably: (delayMs) => new TimerSleep(delayMs),
};

/** `systemClock`'s wakeable sleep: one timer, cleared by `wake`. */
class TimerSleep implements WakeableSleep {
  readonly done: Promise<void>;
  private resolve: (() => void) | undefined;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;

  constructor(delayMs: number) {
    this.done = new Promise<void>((resolve) => (this.resolve = resolve));
    this.timer = delayMs > 0 ? setTimeout(() => this.wake(), delayMs) : undefined;
    if (this.timer === undefined) this.wake();
  }

  wake(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.resolve?.();
    this.resolve = undefined;
  }
}
