/**
 * What actually got through recently, requests per second: successes over the last
 * `lookbackMs`, not counting the time the limiter spent waiting on its own after a 429 (that
 * time says nothing about the limit). Pure: every method takes the clock reading.
 */
export class SuccessRateMeter {
  private readonly successTimesMs: number[] = [];
  /** Org-wide waits we imposed on ourselves, [start, end] ms. */
  private readonly blockedSpans: Array<[number, number]> = [];

  constructor(
    private readonly startedAtMs: number,
    private lookbackMs: number,
  ) {}

  /** Widens or narrows the measuring span (it follows the limit period). */
  setLookback(lookbackMs: number): void {
    if (lookbackMs > 0) this.lookbackMs = lookbackMs;
  }

  /** One answered success. */
  onSuccess(nowMs: number): void {
    this.successTimesMs.push(nowMs);
    this.trim(nowMs);
  }

  /** A wait the limiter imposed on itself, from `startMs` to `endMs`. */
  onBlocked(startMs: number, endMs: number): void {
    this.blockedSpans.push([startMs, endMs]);
  }

  /** Successes per second over the lookback (waits excluded); undefined when too short to tell. */
  ratePerSecond(nowMs: number): number | undefined {
    this.trim(nowMs);
    const fromMs = Math.max(this.startedAtMs, nowMs - this.lookbackMs);
    let counted = 0;
    for (let i = this.successTimesMs.length - 1; i >= 0; i -= 1) {
      if ((this.successTimesMs[i] ?? 0) < fromMs) break;
      counted += 1;
    }
    let idleMs = 0;
    for (const [start, end] of this.blockedSpans) {
      idleMs += Math.max(0, Math.min(end, nowMs) - Math.max(start, fromMs));
    }
    const spanMs = nowMs - fromMs - idleMs;
    if (spanMs < 500 || counted === 0) return undefined;
    return counted / (spanMs / 1000);
  }

  private trim(nowMs: number): void {
    // keep enough history for a lookback that widens later (the limit period is measured late)
    const from = nowMs - Math.max(this.lookbackMs, RETAIN_MS);
    let drop = 0;
    while (drop < this.successTimesMs.length && (this.successTimesMs[drop] ?? 0) < from) drop += 1;
    if (drop > 0) this.successTimesMs.splice(0, drop);
    while ((this.blockedSpans[0]?.[1] ?? Infinity) < from) this.blockedSpans.shift();
  }
}

/** History kept whatever the lookback, milliseconds (two of the longest limit periods assumed). */
const RETAIN_MS = 240_000;
