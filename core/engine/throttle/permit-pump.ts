import { wakeableSleep, type Clock, type WakeableSleep } from './clock';

/** A granted request slot; hand it back to `OrgLimiter.complete` exactly once. */
export interface Permit {
  readonly sequence: number;
  readonly sentAtMs: number;
}

interface Waiter {
  resolve: (permit: Permit | undefined) => void;
  signal?: AbortSignal;
}

/** When no gate says how long (only an answer can open it), look again after this long. */
const IDLE_RECHECK_MS = 60_000;

/**
 * Hands out permits in FIFO order, one at a time, whenever `gateDelayMs` says 0; otherwise
 * sleeps (wakeably) for as long as it says. `grant` issues the permit at the clock reading.
 * Waiters whose signal aborts get undefined.
 */
export class PermitPump {
  private readonly waiters: Waiter[] = [];
  private pumping = false;
  /** The pump's current sleep, while it sleeps. */
  private sleeping: WakeableSleep | undefined;
  /**
   * Signals the pump listens to: one listener per signal for its lifetime (a run passes the
   * same one with every request) rather than one added and removed per request.
   */
  private readonly watched = new WeakSet<AbortSignal>();
  private readonly onAbort = (): void => this.wake();

  constructor(
    private readonly clock: Clock,
    private readonly gateDelayMs: (nowMs: number) => number,
    private readonly grant: (nowMs: number) => Permit,
  ) {}

  /** Waits for a slot. Resolves undefined if `signal` aborts first (pause, cancel). */
  acquire(signal?: AbortSignal): Promise<Permit | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (signal && !this.watched.has(signal)) {
      this.watched.add(signal);
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
    return new Promise((resolve) => {
      this.waiters.push(signal ? { resolve, signal } : { resolve });
      void this.pump();
    });
  }

  /** Something changed (an answer, an abort): look at the gates again. */
  wake(): void {
    this.sleeping?.wake();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        this.dropAborted();
        const waiter = this.waiters[0];
        if (!waiter) return;
        const nowMs = this.clock.nowMs();
        const delayMs = this.gateDelayMs(nowMs);
        if (delayMs === Infinity || delayMs > 0) {
          // at least 1 ms: float rounding must not turn into a busy loop
          this.sleeping = wakeableSleep(
            this.clock,
            delayMs === Infinity ? IDLE_RECHECK_MS : Math.max(1, delayMs),
          );
          await this.sleeping.done;
          this.sleeping = undefined;
          continue;
        }
        this.waiters.shift();
        waiter.resolve(this.grant(nowMs));
      }
    } finally {
      this.pumping = false;
    }
  }

  private dropAborted(): void {
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i];
      if (waiter?.signal?.aborted) {
        this.waiters.splice(i, 1);
        waiter.resolve(undefined);
      }
    }
  }
}
