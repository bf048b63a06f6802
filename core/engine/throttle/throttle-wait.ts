import { fullJitterDelayMs, type BackoffOptions, type RandomSource } from './backoff';

/** The org-wide wait one 429 caused. */
export interface ThrottleWaitDecision {
  /** How long every request of the org now waits, milliseconds. */
  waitMs: number;
  /** The Retry-After received with it, milliseconds (undefined: none). */
  retryAfterMs: number | undefined;
  /** True when Retry-After asked for more than the cap and only the cap is waited. */
  cappedLongRetryAfter: boolean;
}

/** Tuning of the 429 wait. */
export interface ThrottleWaitOptions {
  backoff: BackoffOptions;
  /** Retry-After above this is waited only up to it, and reported as a long pause, ms. */
  maxRetryAfterMs: number;
  random: RandomSource;
}

/**
 * The wait after a 429 and whether Retry-After can be believed (docs/ARCHITECTURE.md,
 * "The throttle"): wait `max(Retry-After, full-jitter backoff)` org-wide; a 429 for a request sent
 * right after a wait that honoured Retry-After proves the header too short (it describes another
 * layer), and from then on the floor escalates. When the caller knows when the refusing layer
 * frees (the org limiter's pause for a hidden one) and Retry-After has proven too short or is
 * missing, the wait is the longer of that pause and Retry-After: Retry-After is never cut short. A Retry-After over `maxRetryAfterMs` is honoured
 * only up to that cap, and said so, so the run can tell the consultant why it paused. Answers
 * to requests sent before the current wait began are echoes of the same burst: they extend
 * nothing. Pure: every method takes the clock reading.
 */
export class ThrottleWait {
  private consecutive = 0;
  private trusted = true;
  private probeFromMs: number | undefined;
  private lastBlockStartMs = -Infinity;
  private blockedUntil = 0;
  private last: ThrottleWaitDecision | undefined;

  constructor(private readonly options: ThrottleWaitOptions) {}

  /** Whether Retry-After has so far been long enough. */
  get retryAfterTrusted(): boolean {
    return this.trusted;
  }

  /** When the current org-wide wait ends (clock ms; in the past when none). */
  get blockedUntilMs(): number {
    return this.blockedUntil;
  }

  /** The last wait decided (with its Retry-After), for the snapshot. */
  get lastDecision(): ThrottleWaitDecision | undefined {
    return this.last;
  }

  /**
   * Lengthens the current wait to end at `untilMs` (never shortens it): Retry-After stays a
   * floor, and the first request after the wait is still the one that proves it too short.
   */
  extendTo(untilMs: number): void {
    if (untilMs <= this.blockedUntil) return;
    this.moveEndTo(untilMs);
  }

  /**
   * Shortens the current wait to end at `untilMs` (never lengthens it, never before the wait
   * began): the caller passes no earlier than Retry-After, which stays a floor.
   */
  shortenTo(untilMs: number): void {
    if (untilMs >= this.blockedUntil || untilMs < this.lastBlockStartMs) return;
    this.moveEndTo(untilMs);
  }

  /** Moves the current wait's end, and what the last decision says it waits (the snapshot's). */
  private moveEndTo(untilMs: number): void {
    this.blockedUntil = untilMs;
    if (this.probeFromMs !== undefined) this.probeFromMs = untilMs;
    if (this.last) this.last = { ...this.last, waitMs: untilMs - this.lastBlockStartMs };
  }

  /** A success: the escalation starts over. */
  onSuccess(): void {
    this.consecutive = 0;
    this.probeFromMs = undefined;
  }

  /**
   * A 429 for a request sent at `sentAtMs`. `windowResetInMs` is when the header-described
   * window resets (0 when unknown). Returns the decision; `isEcho` when it extended nothing.
   */
  onThrottle(
    nowMs: number,
    sentAtMs: number,
    retryAfterMs: number | undefined,
    windowResetInMs: number,
    hiddenPauseMs?: number,
  ): ThrottleWaitDecision & { isEcho: boolean; startedAtMs: number } {
    if (
      this.probeFromMs !== undefined &&
      sentAtMs >= this.probeFromMs &&
      retryAfterMs !== undefined
    ) {
      this.trusted = false; // a 429 right after honouring Retry-After: it describes another layer
    }
    if (sentAtMs < this.lastBlockStartMs) {
      const waitMs = Math.max(0, this.blockedUntil - nowMs);
      return {
        waitMs,
        retryAfterMs,
        cappedLongRetryAfter: false,
        isEcho: true,
        startedAtMs: nowMs,
      };
    }
    const { backoff, maxRetryAfterMs, random } = this.options;
    const attempt = this.consecutive;
    this.consecutive += 1;
    const jitterMs = fullJitterDelayMs(attempt, backoff, random);
    // Retry-After is always a floor (docs/ARCHITECTURE.md, "The throttle"). The limiter's own
    // estimate of when a hidden layer frees may lengthen the wait only once Retry-After has
    // proven too short (or is missing): until then it is the server's word on when the
    // refusing layer frees, and an estimate sized from another layer's period would stall
    // the run for nothing
    const ownEstimateMs = this.trusted && retryAfterMs !== undefined ? 0 : (hiddenPauseMs ?? 0);
    let floorMs = Math.max(retryAfterMs ?? 0, ownEstimateMs);
    if (hiddenPauseMs === undefined && !this.trusted) {
      const escalated = floorMs * 2 ** Math.min(attempt, 3);
      floorMs = Math.max(escalated, windowResetInMs, backoff.baseDelayMs);
    }
    const cappedLongRetryAfter = floorMs > maxRetryAfterMs;
    if (cappedLongRetryAfter) floorMs = maxRetryAfterMs;
    const waitMs = Math.max(floorMs, jitterMs);
    this.lastBlockStartMs = nowMs;
    this.blockedUntil = Math.max(this.blockedUntil, nowMs + waitMs);
    this.probeFromMs =
      retryAfterMs !== undefined && floorMs >= jitterMs ? this.blockedUntil : undefined;
    this.last = { waitMs, retryAfterMs, cappedLongRetryAfter };
    return { ...this.last, isEcho: false, startedAtMs: nowMs };
  }
}
