/**
 * What actually got through, requests per second, over a span that ends now: successes over
 * the span, the limiter's own pauses included (over a whole loss cycle a hidden budget renews
 * as often as it can, pauses and all). Pure: every method takes the clock reading.
 */
export class SuccessRateMeter {
  private readonly successTimesMs: number[] = [];

  constructor(private readonly startedAtMs: number) {}

  /** One answered success. */
  onSuccess(nowMs: number): void {
    this.successTimesMs.push(nowMs);
    this.trim(nowMs);
  }

  /** Successes per second over the last `spanMs`; undefined before anything succeeded in it. */
  deliveredPerSecond(nowMs: number, spanMs: number): number | undefined {
    const fromMs = Math.max(this.startedAtMs, nowMs - spanMs);
    let counted = 0;
    for (let i = this.successTimesMs.length - 1; i >= 0; i -= 1) {
      if ((this.successTimesMs[i] ?? 0) < fromMs) break;
      counted += 1;
    }
    if (counted === 0 || nowMs <= fromMs) return undefined;
    return counted / ((nowMs - fromMs) / 1000);
  }

  private trim(nowMs: number): void {
    const from = nowMs - RETAIN_MS;
    let drop = 0;
    while (drop < this.successTimesMs.length && (this.successTimesMs[drop] ?? 0) < from) drop += 1;
    if (drop > 0) this.successTimesMs.splice(0, drop);
  }
}

/** History kept, milliseconds: a loss cycle longer than this is measured over its last part. */
const RETAIN_MS = 600_000;
