import type { BackgroundConsumerConfig } from '../types';

/**
 * The times at which a background consumer (see `BackgroundConsumerConfig`) sends, generated
 * lazily per key up to the clock reading a request arrives at: the layer replays them in order
 * before it judges that request, so the shared budget is spent as if they had come in real time.
 */
export class BackgroundConsumer {
  private readonly nextMs = new Map<string, number>();

  constructor(private readonly config: BackgroundConsumerConfig) {}

  /** The highest rate it reaches, requests per second. */
  get peakRatePerSecond(): number {
    return this.config.ratePerSecond * (1 + this.config.amplitude);
  }

  /** Requests per second at `elapsedMs` after the layer's first request (0 outside its span). */
  rateAt(elapsedMs: number): number {
    const { ratePerSecond, amplitude, periodMs, startAfterMs = 0, durationMs } = this.config;
    if (elapsedMs < startAfterMs) return 0;
    if (durationMs !== undefined && elapsedMs >= startAfterMs + durationMs) return 0;
    const swing = amplitude * Math.sin((2 * Math.PI * (elapsedMs - startAfterMs)) / periodMs);
    return Math.max(0, ratePerSecond * (1 + swing));
  }

  /**
   * Calls `send(atMs)` for every request the consumer makes for `key` up to `nowMs`, oldest
   * first. `originMs` is the layer's first request (time zero of the rate curve).
   */
  replay(key: string, originMs: number, nowMs: number, send: (atMs: number) => void): void {
    let atMs = this.nextMs.get(key) ?? originMs;
    while (atMs <= nowMs) {
      const rate = this.rateAt(atMs - originMs);
      if (rate > 0) {
        send(atMs);
        atMs += 1000 / rate;
      } else {
        atMs += IDLE_STEP_MS; // silent for now: look again a little later
      }
    }
    this.nextMs.set(key, atMs);
  }

  clear(): void {
    this.nextMs.clear();
  }
}

const IDLE_STEP_MS = 50;
