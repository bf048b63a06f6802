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

  /**
   * What got through since the last hidden loss, requests per second, pauses included: over a
   * whole loss cycle the hidden budget renewed as often as it could, so this is the limit's
   * rate when we pushed it (a first loss has only slow start's burst to go by), over at least
   * `minSpanMs`. A handful of successes (a small budget's few) says little but that the pace
   * is far above what gets through: the rate controller bounds the step down it takes. Of
   * the wait after the last loss only `renewMs` counts (half a limit period: the mean time a
   * window or log found exhausted takes to renew); the rest was Retry-After's, often another
   * layer's, and says nothing about this limit.
   */
  sinceLoss(span: {
    nowMs: number;
    /** The last hidden loss (undefined: none yet), clock ms. */
    lossAtMs: number | undefined;
    firstSuccessMs: number | undefined;
    /** When the org-wide wait after the last loss ended (or ends), clock ms. */
    waitEndMs: number;
    renewMs: number;
    minSpanMs: number;
  }): number | undefined {
    const { nowMs, lossAtMs } = span;
    const fromMs = lossAtMs ?? span.firstSuccessMs ?? nowMs;
    const waitedMs = Math.min(nowMs, span.waitEndMs) - fromMs;
    const sinceMs = lossAtMs === undefined ? fromMs : fromMs + Math.max(0, waitedMs - span.renewMs);
    return this.deliveredPerSecond(nowMs, Math.max(nowMs - sinceMs, span.minSpanMs));
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
