import {
  defaultBackoff,
  fullJitterDelayMs,
  type BackoffOptions,
  type RandomSource,
} from './backoff';
import { systemClock, type Clock } from './clock';
import { WindowBudget } from './window-budget';
import { HiddenBudgetEstimator } from './hidden-budget';
import { LatencyWindow } from './latency-window';
import { RateController, type RateControllerOptions } from './rate-controller';
import { parseRateLimitHeaders, type HeaderMap } from '../../genesys/http/rate-limit-headers';
import { TokenBucket } from './token-bucket';

/** Tuning of one org's limiter. */
export interface OrgLimiterOptions {
  /** Share of the published limit left for the customer's own traffic (0.1 = 10%). */
  headroom: number;
  initialConcurrency: number;
  minConcurrency: number;
  maxConcurrency: number;
  /** Extra wait after a window reset before sending again, milliseconds. */
  windowMarginMs: number;
  /** How far back "what succeeded" is measured when a hidden limit throttles, milliseconds. */
  successLookbackMs: number;
  backoff: BackoffOptions;
  rateController: Partial<RateControllerOptions>;
  clock: Clock;
  random: RandomSource;
}

/** Defaults of DESIGN §6: 10% headroom, 3 in flight to start. */
export const defaultOrgLimiterOptions: OrgLimiterOptions = {
  headroom: 0.1,
  initialConcurrency: 3,
  minConcurrency: 1,
  maxConcurrency: 16,
  windowMarginMs: 20,
  successLookbackMs: 10_000,
  backoff: defaultBackoff,
  rateController: {},
  clock: systemClock,
  random: Math.random,
};

/** A granted request slot; hand it back to `complete` exactly once. */
export interface Permit {
  readonly sequence: number;
  readonly sentAtMs: number;
}

/** What the engine learned from one answer. */
export interface PermitFeedback {
  /** `ok`, a 429, or anything else (5xx, network, 4xx: no pacing signal). */
  signal: 'ok' | 'throttled' | 'other';
  headers?: HeaderMap;
  latencyMs: number;
  retryAfterMs?: number;
}

/** A point-in-time view for the metrics. */
export interface OrgLimiterSnapshot {
  pacingRatePerSecond: number;
  concurrency: number;
  inFlight: number;
  backoffRemainingMs: number;
  budgetUsed?: number;
  retryAfterTrusted: boolean;
  hiddenLimitLearned: boolean;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

/** The abort reason of the pump's wake-up signal (never thrown, only compared). */
const WAKE_REASON = 'org-limiter wake-up';

interface Waiter {
  resolve: (permit: Permit | undefined) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * One per org (per OAuth client), shared by every run on that org (DESIGN §6). Grants request
 * slots in FIFO order when all of these allow it: the in-flight limit (adaptive concurrency),
 * the pacer (token bucket at the learned rate), the header-described window (spend the budget
 * minus headroom, then wait for the reset) and the org-wide wait after a 429
 * (max(Retry-After, full-jitter backoff); Retry-After escalated once it proved too short).
 */
export class OrgLimiter {
  private readonly options: OrgLimiterOptions;
  private readonly clock: Clock;
  private readonly bucket: TokenBucket;
  private readonly controller: RateController;
  private readonly window: WindowBudget;
  private readonly latency = new LatencyWindow();
  private readonly hiddenBudget = new HiddenBudgetEstimator();
  private readonly successTimesMs: number[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly startedAtMs: number;
  private inFlight = 0;
  private blockedUntilMs = 0;
  private lastBlockStartMs = -Infinity;
  /** Org-wide waits we imposed on ourselves, [start, end] ms, to exclude from "what succeeded". */
  private readonly blockedSpans: Array<[number, number]> = [];
  private consecutiveThrottles = 0;
  private retryAfterTrusted = true;
  private retryAfterProbeFromMs: number | undefined;
  private pumping = false;
  private wakeup = new AbortController();

  constructor(options: Partial<OrgLimiterOptions> = {}) {
    this.options = { ...defaultOrgLimiterOptions, ...options };
    this.clock = this.options.clock;
    const nowMs = this.clock.nowMs();
    this.startedAtMs = nowMs;
    this.controller = new RateController(nowMs, this.options.rateController);
    this.bucket = new TokenBucket(this.controller.rate(nowMs), 1, nowMs);
    this.window = new WindowBudget(this.options.headroom);
  }

  /**
   * Seeds the pace from the org's published limit (limits API), before any header is seen:
   * `requestsPerMinute × (1 − headroom)`.
   */
  seedFromLimit(requestsPerMinute: number): void {
    const ratePerSecond = (requestsPerMinute / 60) * (1 - this.options.headroom);
    this.controller.seed(ratePerSecond, this.clock.nowMs());
  }

  /** Waits for a slot. Resolves undefined if `signal` aborts first (pause, cancel). */
  acquire(signal?: AbortSignal): Promise<Permit | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = (): void => this.wake();
      const waiter: Waiter = {
        resolve: (permit) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(permit);
        },
        ...(signal ? { signal, onAbort } : {}),
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.pump();
    });
  }

  /** Hands a permit back with what its answer taught; returns the org-wide wait it caused (ms). */
  complete(permit: Permit, feedback: PermitFeedback): number {
    const nowMs = this.clock.nowMs();
    this.inFlight -= 1;
    this.latency.add(feedback.latencyMs);
    const limitHeaders = feedback.headers ? parseRateLimitHeaders(feedback.headers) : undefined;
    if (limitHeaders) this.window.observe(limitHeaders, permit.sequence, nowMs);
    let waitMs = 0;
    if (feedback.signal === 'ok') {
      this.consecutiveThrottles = 0;
      this.retryAfterProbeFromMs = undefined;
      this.successTimesMs.push(nowMs);
      this.trimSuccesses(nowMs);
      const estimate = this.hiddenBudget.onSuccess(nowMs, permit.sentAtMs);
      if (estimate !== undefined) this.controller.refine(estimate, nowMs);
    } else if (feedback.signal === 'throttled') {
      waitMs = this.onThrottle(permit, feedback, limitHeaders?.count, limitHeaders?.allowed);
    }
    this.wake();
    return waitMs;
  }

  /** Current numbers, for the run metrics. */
  snapshot(): OrgLimiterSnapshot {
    const nowMs = this.clock.nowMs();
    const budgetUsed = this.window.usedShare(nowMs);
    return {
      pacingRatePerSecond: this.pacingRate(nowMs),
      concurrency: this.concurrencyLimit(nowMs),
      inFlight: this.inFlight,
      backoffRemainingMs: Math.max(0, this.blockedUntilMs - nowMs),
      ...(budgetUsed !== undefined ? { budgetUsed } : {}),
      retryAfterTrusted: this.retryAfterTrusted,
      hiddenLimitLearned: this.controller.hasLearnedLimit,
      latencyP50Ms: this.latency.percentile(50),
      latencyP95Ms: this.latency.percentile(95),
    };
  }

  private onThrottle(
    permit: Permit,
    feedback: PermitFeedback,
    count: number | undefined,
    allowed: number | undefined,
  ): number {
    const nowMs = this.clock.nowMs();
    if (
      this.retryAfterProbeFromMs !== undefined &&
      permit.sentAtMs >= this.retryAfterProbeFromMs &&
      feedback.retryAfterMs !== undefined
    ) {
      this.retryAfterTrusted = false; // a 429 right after honouring Retry-After (DESIGN §6)
    }
    const windowFull = count !== undefined && allowed !== undefined && count >= allowed;
    if (windowFull) this.window.markExhausted();
    else {
      this.hiddenBudget.onHiddenThrottle(nowMs, permit.sentAtMs);
      const succeeded = this.succeededRate(nowMs);
      const paced = this.pacingRate(nowMs);
      this.controller.onThrottle(nowMs, permit.sentAtMs, Math.min(paced, succeeded ?? paced));
    }
    this.bucket.drain(nowMs);
    if (permit.sentAtMs < this.lastBlockStartMs) return Math.max(0, this.blockedUntilMs - nowMs);
    const attempt = this.consecutiveThrottles;
    this.consecutiveThrottles += 1;
    const jitterMs = fullJitterDelayMs(attempt, this.options.backoff, this.options.random);
    let floorMs = feedback.retryAfterMs ?? 0;
    if (!this.retryAfterTrusted) {
      const escalated = floorMs * 2 ** Math.min(attempt, 4);
      floorMs = Math.max(escalated, this.window.resetInMs(nowMs), this.options.backoff.baseDelayMs);
    }
    const waitMs = Math.max(floorMs, jitterMs);
    this.lastBlockStartMs = nowMs;
    this.blockedUntilMs = Math.max(this.blockedUntilMs, nowMs + waitMs);
    this.blockedSpans.push([nowMs, this.blockedUntilMs]);
    this.retryAfterProbeFromMs =
      feedback.retryAfterMs !== undefined && floorMs >= jitterMs ? this.blockedUntilMs : undefined;
    return waitMs;
  }

  private pacingRate(nowMs: number): number {
    const spend = this.window.spendRatePerSecond(nowMs);
    if (spend === undefined) return this.controller.rate(nowMs);
    if (!this.controller.hasLearnedLimit) return spend;
    return Math.min(spend, this.controller.rate(nowMs));
  }

  private concurrencyLimit(nowMs: number): number {
    const { initialConcurrency, minConcurrency, maxConcurrency } = this.options;
    const p95Ms = this.latency.percentile(95);
    if (p95Ms === 0) return initialConcurrency;
    const needed = Math.ceil((this.pacingRate(nowMs) * p95Ms) / 1000) + 1;
    return Math.min(maxConcurrency, Math.max(minConcurrency, 2, needed));
  }

  private succeededRate(nowMs: number): number | undefined {
    this.trimSuccesses(nowMs);
    const fromMs = Math.max(this.startedAtMs, nowMs - this.options.successLookbackMs);
    // time we spent waiting on our own after a 429 says nothing about the hidden limit
    let idleMs = 0;
    for (const [start, end] of this.blockedSpans) {
      idleMs += Math.max(0, Math.min(end, nowMs) - Math.max(start, fromMs));
    }
    const spanMs = nowMs - fromMs - idleMs;
    if (spanMs < 500 || this.successTimesMs.length === 0) return undefined;
    return this.successTimesMs.length / (spanMs / 1000);
  }

  private trimSuccesses(nowMs: number): void {
    const from = nowMs - this.options.successLookbackMs;
    let drop = 0;
    while (drop < this.successTimesMs.length && (this.successTimesMs[drop] ?? 0) < from) drop += 1;
    if (drop > 0) this.successTimesMs.splice(0, drop);
    while ((this.blockedSpans[0]?.[1] ?? Infinity) < from) this.blockedSpans.shift();
  }

  private wake(): void {
    // a fixed reason: abort() without one builds a DOMException (with a stack) on every answer
    if (!this.wakeup.signal.aborted) this.wakeup.abort(WAKE_REASON);
  }

  /** Grants slots one by one while waiters exist; sleeps (wakeably) on whatever gate is shut. */
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
          this.wakeup = new AbortController();
          // at least 1 ms: float rounding must not turn into a busy loop
          await this.clock.sleep(
            delayMs === Infinity ? 60_000 : Math.max(1, delayMs),
            this.wakeup.signal,
          );
          continue;
        }
        this.bucket.tryTake(nowMs);
        this.inFlight += 1;
        const sequence = this.window.issue(nowMs);
        this.waiters.shift();
        waiter.resolve({ sequence, sentAtMs: nowMs });
      }
    } finally {
      this.pumping = false;
    }
  }

  private gateDelayMs(nowMs: number): number {
    if (this.inFlight >= this.concurrencyLimit(nowMs)) return Infinity; // woken by complete()
    const blockedMs = this.blockedUntilMs - nowMs;
    if (blockedMs > 0) return blockedMs;
    const windowMs = this.window.delayMs(nowMs, this.options.windowMarginMs);
    if (windowMs > 0) return windowMs;
    this.bucket.setRate(this.pacingRate(nowMs), nowMs);
    return this.bucket.delayUntilNextMs(nowMs);
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
