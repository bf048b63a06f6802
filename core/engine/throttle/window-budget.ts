import type { RateLimitHeaders } from '../../genesys/http/rate-limit-headers';

/**
 * The client's picture of the window the `inin-ratelimit-*` headers describe
 * (docs/ARCHITECTURE.md, "The throttle"):
 * how much of the budget (allowed minus headroom) is used and when it resets. Requests issued
 * after the response that carried the headers are counted locally, so a burst in flight does
 * not overshoot. Pure: every method takes the clock reading.
 */
export class WindowBudget {
  private allowed = 0;
  private used = 0;
  private resetAtMs = 0;
  private lengthMs = 0;
  private headerSequence = -1;
  private issuedSequence = 0;
  private known = false;

  constructor(private readonly headroom: number) {}

  /** Whether headers have described a window yet. */
  get isKnown(): boolean {
    return this.known;
  }

  /** The window the headers describe, `{allowed, lengthMs}`, once seen. */
  get described(): { allowed: number; lengthMs: number } | undefined {
    return this.known ? { allowed: this.allowed, lengthMs: this.lengthMs } : undefined;
  }

  /** Requests this client may use per window: `floor(allowed × (1 − headroom))`, at least 1. */
  get budget(): number {
    return Math.max(1, Math.floor(this.allowed * (1 - this.headroom)));
  }

  /** Share of the server's `allowed` used so far (0..1+), for the metrics. */
  usedShare(nowMs: number): number | undefined {
    if (!this.known) return undefined;
    this.roll(nowMs);
    return this.used / this.allowed;
  }

  /** Counts one issued request; returns its sequence number (pass it back with its headers). */
  issue(nowMs: number): number {
    this.roll(nowMs);
    this.used += 1;
    this.issuedSequence += 1;
    return this.issuedSequence;
  }

  /** Takes the headers of the response to request `sequence` (older answers are ignored). */
  observe(headers: RateLimitHeaders, sequence: number, nowMs: number): void {
    if (sequence < this.headerSequence) return;
    const headerResetAtMs = nowMs + headers.resetMs;
    // The reset header is rounded up to whole seconds (docs/GENESYS.md), so the true reset
    // lies in the second before it. Our own estimate (window opened by our first request +
    // learned length) is finer: keep it while it agrees with the header, else take the header.
    const agrees =
      this.known && this.resetAtMs > headerResetAtMs - 1000 && this.resetAtMs <= headerResetAtMs;
    if (!agrees) this.resetAtMs = headerResetAtMs;
    this.known = true;
    this.headerSequence = sequence;
    this.allowed = headers.allowed;
    this.lengthMs = Math.max(this.lengthMs, headers.resetMs);
    this.used = headers.count + (this.issuedSequence - sequence);
  }

  /** The server counted the window as full (a 429 with count ≥ allowed): wait for the reset. */
  markExhausted(): void {
    if (this.known) this.used = Math.max(this.used, this.allowed);
  }

  /** Milliseconds to wait before the next request may go (0 = now). */
  delayMs(nowMs: number, marginMs: number): number {
    if (!this.known) return 0;
    this.roll(nowMs);
    if (this.used < this.budget) return 0;
    return Math.max(0, this.resetAtMs - nowMs) + marginMs;
  }

  /**
   * The even rate that spends exactly the remaining budget by the reset, requests per second;
   * undefined when no window is known.
   */
  spendRatePerSecond(nowMs: number): number | undefined {
    if (!this.known) return undefined;
    this.roll(nowMs);
    const remaining = this.budget - this.used;
    const secondsLeft = Math.max(0.05, (this.resetAtMs - nowMs) / 1000);
    if (remaining <= 0) return this.budget / Math.max(0.05, this.lengthMs / 1000);
    // remaining + 1 intervals: the last request of the budget goes out before the reset, not on it
    return (remaining + 1) / secondsLeft;
  }

  /** Milliseconds until the current window resets (0 when unknown). */
  resetInMs(nowMs: number): number {
    return this.known ? Math.max(0, this.resetAtMs - nowMs) : 0;
  }

  private roll(nowMs: number): void {
    if (!this.known || nowMs < this.resetAtMs || this.lengthMs <= 0) return;
    // Assume the next window opens now (Genesys-style windows open with the first request);
    // if it opened earlier it also ends earlier, so this errs on the safe side until the
    // next response's headers correct it.
    this.resetAtMs = nowMs + this.lengthMs;
    this.used = 0;
  }
}
