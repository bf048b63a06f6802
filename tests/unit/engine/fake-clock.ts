import type { Clock, WakeableSleep } from '../../../core/engine/throttle/clock';

/** A manual clock for tests: `sleep` resolves only when `advanceTo` passes its time. */
export class FakeClock implements Clock {
  private now = 0;
  private timers: Array<{ atMs: number; resolve: () => void }> = [];

  nowMs(): number {
    return this.now;
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = { atMs: this.now + Math.max(0, delayMs), resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      });
    });
  }

  /**
   * `sleep` that `wake()` ends early, as an abort would: without an AbortController, its
   * listener and abort event per sleep (the permit pump sleeps about twice per request and is
   * woken by every answer: a tenth of the sim's CPU).
   */
  sleepWakeably(delayMs: number): WakeableSleep {
    let wake = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      const timer = { atMs: this.now + Math.max(0, delayMs), resolve };
      this.timers.push(timer);
      wake = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      };
    });
    return { done, wake };
  }

  /** Moves time forward, firing due timers in order and letting promises settle in between. */
  async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.atMs <= targetMs).sort((a, b) => a.atMs - b.atMs)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = Math.max(this.now, due.atMs);
      due.resolve();
    }
    this.now = Math.max(this.now, targetMs);
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
