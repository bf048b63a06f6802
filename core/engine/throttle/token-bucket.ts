/**
 * The pacer: a token bucket that releases requests at `ratePerSecond` with a small burst.
 * Pure arithmetic over an injected clock reading, so it is exact in tests; the org limiter
 * turns `delayUntilNextMs` into a sleep.
 */
export class TokenBucket {
  private tokens: number;
  private lastRefillMs: number;
  private rate: number;
  private lastTakeMs = -Infinity;
  private capacity: number;

  /**
   * @param ratePerSecond tokens added per second (> 0)
   * @param burst bucket capacity while requests keep flowing; 1 means strictly evenly spaced
   *   requests, and after a pause the capacity is never more than 1
   * @param nowMs the clock reading at creation
   */
  constructor(ratePerSecond: number, burst: number, nowMs: number) {
    this.rate = positive(ratePerSecond);
    this.capacity = burst;
    this.tokens = burst;
    this.lastRefillMs = nowMs;
  }

  /** Current rate, tokens per second. */
  get ratePerSecond(): number {
    return this.rate;
  }

  /** Bucket capacity while requests keep flowing, tokens. */
  get burst(): number {
    return this.capacity;
  }

  /** Changes the capacity (at least 1); tokens above it are dropped. */
  setBurst(burst: number): void {
    this.capacity = Math.max(1, burst);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Changes the rate; tokens already earned are kept (capped at `burst`). */
  setRate(ratePerSecond: number, nowMs: number): void {
    this.refill(nowMs);
    this.rate = positive(ratePerSecond);
  }

  /** Takes one token if available; returns whether it did. */
  tryTake(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1 - EPSILON) return false;
    this.tokens -= 1;
    this.lastTakeMs = nowMs;
    return true;
  }

  /** Milliseconds until one token is available (0 when one is there now). */
  delayUntilNextMs(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens >= 1 - EPSILON) return 0;
    return ((1 - this.tokens) / this.rate) * 1000;
  }

  /** Empties the bucket (after a 429 nothing saved up should burst out). */
  drain(nowMs: number): void {
    this.refill(nowMs);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - this.lastRefillMs);
    // capacity above one token is slack for a flow that keeps going (a timer that fired late
    // is caught up on the next request); after a pause of two spacings nothing is owed, so the
    // first requests after it go evenly spaced (a limit without burst refuses two close ones)
    const flowing = nowMs - this.lastTakeMs <= 2000 / this.rate;
    const capacity = flowing ? this.burst : Math.min(this.burst, 1);
    this.tokens = Math.min(capacity, this.tokens + (elapsedMs / 1000) * this.rate);
    this.lastRefillMs = nowMs;
  }
}

/** Float slack so that "almost one token" after rounding counts as one. */
const EPSILON = 1e-9;

function positive(ratePerSecond: number): number {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
    throw new RangeError(`Pacing rate must be a positive number, got ${ratePerSecond}`);
  }
  return ratePerSecond;
}
