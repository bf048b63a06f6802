import type { Clock } from './clock';
import { HiddenBudgetEstimator } from './hidden-budget';
import { HiddenPause, RenewalSearch } from './hidden-pause';
import { ConcurrencyCap } from './concurrency-cap';
import { LatencyWindow } from './latency-window';
import { LimitPeriod } from './limit-period';
import type { FirstCycle } from './loss-evidence';
import { PermitPump, type Permit } from './permit-pump';
import {
  defaultOrgLimiterOptions,
  type OrgLimiterOptions,
  type OrgLimiterSnapshot,
  type PermitFeedback,
} from './org-limiter-options';
import { RateController } from './rate-controller';
import { parseRateLimitHeaders } from '../../genesys/http/rate-limit-headers';
import { SuccessRateMeter } from './success-rate';
import { buildThrottleSnapshot, type ThrottleSnapshot } from './throttle-snapshot';
import { ThrottleWait } from './throttle-wait';
import { TokenBucket } from './token-bucket';
import { WindowBudget } from './window-budget';
import { WorkLeft, type RunWork } from './work-left';
import { MIN_TIMED_BUDGET, WindowPhase } from './window-phase';

export type { Permit } from './permit-pump';
export type { ThrottleSnapshot } from './throttle-snapshot';
export {
  defaultOrgLimiterOptions,
  type OrgLimiterOptions,
  type OrgLimiterSnapshot,
  type PermitFeedback,
} from './org-limiter-options';

/**
 * The pacer's capacity, in requests: half a request of slack, so a timer that fires late (a
 * loaded machine's setTimeout runs 1-20 ms behind) lets the next request go that much sooner
 * instead of losing the time for good; a capacity of 1 gave up ~10% of the pace at 12/s.
 */
const PACER_BURST = 1.5;

/**
 * One per org (per OAuth client), shared by every run on that org (docs/ARCHITECTURE.md,
 * "The throttle"). Grants request slots in FIFO order (`PermitPump`) when all of these allow it: the
 * in-flight limit (adaptive concurrency), the pacer (token bucket at the learned rate), the
 * header-described window (spend the budget minus headroom, then wait for the reset) and the
 * org-wide wait after a 429 (`ThrottleWait`). A 429 the headers do not explain teaches the
 * `RateController` a hidden limit from what actually got through since the last loss
 * (`SuccessRateMeter`), on the time scale the `LimitPeriod` measured from the first loss cycle
 * (`HiddenBudgetEstimator`), and pauses the org until that layer frees by its own estimate, never
 * less than Retry-After.
 */
export class OrgLimiter {
  private readonly options: OrgLimiterOptions;
  private readonly clock: Clock;
  private readonly bucket: TokenBucket;
  private readonly controller: RateController;
  private readonly window: WindowBudget;
  private readonly latency = new LatencyWindow();
  /**
   * One success is enough to time slow start's first cycle for the limit period: a small
   * window's budget (3 per quarter second) is spent before a fourth, a limit without burst (a
   * GCRA) admits one then refuses the next, and its first cycle is the only one that measures
   * the period (see `onThrottle`).
   */
  private readonly hiddenBudget = new HiddenBudgetEstimator(1);
  private readonly successes: SuccessRateMeter;
  private readonly period: LimitPeriod;
  private readonly throttleWait: ThrottleWait;
  private readonly pump: PermitPump;
  private inFlight = 0;
  private firstSuccessMs: number | undefined;
  /** When the run's first success was sent, clock ms (it times slow start's first cycle by its sends). */
  private firstSuccessSentMs: number | undefined;
  /** When the limiter let its first request go (of any kind: a read opens the reported window too), clock ms. */
  private firstSentMs: number | undefined;
  /**
   * From the opening of the reported window the first upload went in to that upload's answer,
   * ms: how much later than that window a layer only the uploads reach can have opened (the
   * reads before the uploads, then the first upload's cold round trip).
   */
  private uploadsOpenedLagMs: number | undefined;
  private lastHiddenLossMs: number | undefined;
  private readonly hiddenPause: HiddenPause;
  private readonly renewal = new RenewalSearch();
  /** The requests the runs on this limiter still have to send (`registerWork`). */
  private readonly work = new WorkLeft();
  /**
   * The permits in flight, by sequence (granted in order), each with the most requests in flight
   * (itself included) at any time while it was.
   */
  private readonly inFlightMet = new Map<number, number>();
  private readonly concurrencyCap = new ConcurrencyCap();
  private readonly windowPhase = new WindowPhase();
  /** Whether a request sent after the last org-wide wait has succeeded. */
  private succeededSinceWait = true;
  /** The send time of the latest success sent after the last wait, clock ms (undefined: none). */
  private admittedSentMs: number | undefined;
  /** The spacing between the last two successes sent after the last wait, ms (undefined: none). */
  private admittedSpacingMs: number | undefined;
  /** The latest success: its sequence, send time and round trip (`bunchedBehind`). */
  private lastAdmitted: { sequence: number; sentAtMs: number; latencyMs: number } | undefined;

  constructor(options: Partial<OrgLimiterOptions> = {}) {
    this.options = { ...defaultOrgLimiterOptions, ...options };
    this.clock = this.options.clock;
    const nowMs = this.clock.nowMs();
    this.controller = new RateController(nowMs, this.options.rateController);
    this.controller.readWorkLeftFrom(() => this.work.requests);
    this.hiddenPause = new HiddenPause(this.controller.minLossCostRequests);
    this.period = new LimitPeriod(this.options.minLimitPeriodMs);
    this.controller.setPeriod(this.period.periodMs);
    this.bucket = new TokenBucket(this.controller.rate(nowMs), PACER_BURST, nowMs);
    this.window = new WindowBudget(this.options.headroom);
    this.successes = new SuccessRateMeter(nowMs);
    this.throttleWait = new ThrottleWait({
      backoff: this.options.backoff,
      maxRetryAfterMs: this.options.maxRetryAfterMs,
      random: this.options.random,
    });
    this.pump = new PermitPump(
      this.clock,
      (at) => this.gateDelayMs(at),
      (at) => this.grant(at),
    );
  }

  /**
   * Seeds the pace from the org's published limit (limits API), before any header is seen:
   * `requestsPerMinute × (1 − headroom)`.
   */
  seedFromLimit(requestsPerMinute: number): void {
    const ratePerSecond = (requestsPerMinute / 60) * (1 - this.options.headroom);
    this.controller.seed(ratePerSecond, this.clock.nowMs());
  }

  /**
   * Registers a run's requests still to send (`WorkLeft`): the run updates its count as it goes
   * and withdraws it when it ends or pauses. Probes above a proven rate are priced by the sum
   * (docs/ARCHITECTURE.md, "Probes priced by the work left"); with nothing registered, or a run
   * that cannot tell its count (undefined), they are priced as before.
   */
  registerWork(requests: number | undefined): RunWork {
    return this.work.register(requests);
  }

  /** The requests the registered runs still have to send, summed (undefined: unknown). */
  get requestsLeft(): number | undefined {
    return this.work.requests;
  }

  /** Waits for a slot. Resolves undefined if `signal` aborts first (pause, cancel). */
  acquire(signal?: AbortSignal): Promise<Permit | undefined> {
    return this.pump.acquire(signal);
  }

  /** Hands a permit back with what its answer taught; returns the org-wide wait it caused (ms). */
  complete(permit: Permit, feedback: PermitFeedback): number {
    const nowMs = this.clock.nowMs();
    this.inFlight -= 1;
    // what the server may have seen beside this request (docs/ARCHITECTURE.md, "Requests in
    // flight"): its arrival is anywhere in its round trip, so a request sent after it can have
    // arrived first (a cold connection, a stalled loop) and one sent before it can have been
    // answered before it arrived. A 429 may have met every request sent while it was in flight;
    // a success proves only the ones in flight from its send to its answer
    const met = this.inFlightMet.get(permit.sequence) ?? 1;
    this.inFlightMet.delete(permit.sequence);
    let alongside = 1; // (those sent before it and still in flight were in flight at its send)
    for (const sequence of this.inFlightMet.keys()) if (sequence < permit.sequence) alongside += 1;
    this.latency.add(feedback.latencyMs);
    const limitHeaders = feedback.headers ? parseRateLimitHeaders(feedback.headers) : undefined;
    if (limitHeaders) {
      this.window.observe(limitHeaders, permit.sequence, nowMs);
      this.period.observeReportedWindow(this.window.described?.lengthMs ?? 0);
    }
    let waitMs = 0;
    const passed =
      feedback.signal === 'ok' || (feedback.signal === 'other' && feedback.passedLimits === true);
    // a call beside the uploads (a list read, the limits read) passed the layers its own route
    // meets, which says nothing of those only the uploads reach (a per-org upload limit): its
    // success enters none of the hidden-limit measures, nor says a wait was long enough for
    // them. It spent the org's budget (its permit, its headers above) and its 429 still holds
    // the org (docs/ARCHITECTURE.md, "The throttle")
    if (passed && !feedback.sideCall) {
      this.throttleWait.onSuccess();
      this.successes.onSuccess(nowMs);
      this.firstSuccessMs ??= nowMs;
      this.firstSuccessSentMs ??= permit.sentAtMs;
      this.uploadsOpenedLagMs ??= nowMs - this.reportedOpenedMs(permit.sentAtMs);
      const afterWait = permit.sentAtMs >= this.throttleWait.blockedUntilMs;
      this.renewal.onSuccess(permit.sentAtMs, afterWait, this.firstSentMs);
      if (afterWait) {
        this.succeededSinceWait = true;
        // the wait renewed the hidden budget (`RateController.confirmRenewal`)
        this.controller.confirmRenewal();
        // the spacing a limit without burst admitted (`RateController.onThrottle`)
        if (this.admittedSentMs !== undefined && permit.sentAtMs > this.admittedSentMs)
          this.admittedSpacingMs = permit.sentAtMs - this.admittedSentMs;
        this.admittedSentMs = Math.max(this.admittedSentMs ?? -Infinity, permit.sentAtMs);
      }
      this.hiddenBudget.onSuccess(nowMs, permit.sentAtMs);
      if (permit.sequence > (this.lastAdmitted?.sequence ?? -Infinity))
        this.lastAdmitted = {
          sequence: permit.sequence,
          sentAtMs: permit.sentAtMs,
          latencyMs: feedback.latencyMs,
        };
      this.windowPhase.onSuccess(permit.sentAtMs);
      this.controller.noteHeldRate(this.windowPhase.takeFallenFrom());
      this.concurrencyCap.onSuccess(alongside, nowMs);
    } else if (feedback.signal === 'throttled') {
      waitMs = this.onThrottle(permit, feedback, limitHeaders?.count, limitHeaders?.allowed, met);
    }
    this.pump.wake();
    return waitMs;
  }

  /** The time constant the throttle scales its holds and probes by (`LimitPeriod`), ms. */
  get limitPeriodMs(): number {
    return this.controller.limitPeriodMs;
  }

  /**
   * Current numbers, for the run metrics. A pure read: how often the UI asks must not change
   * how the run is paced (the climb moves on only when the pacer reads it).
   */
  snapshot(): OrgLimiterSnapshot {
    const nowMs = this.clock.nowMs();
    const budgetUsed = this.window.usedShare(nowMs);
    const pacingRatePerSecond = this.pacingRate(nowMs, false);
    return {
      pacingRatePerSecond,
      concurrency: this.concurrencyLimit(nowMs, pacingRatePerSecond),
      inFlight: this.inFlight,
      backoffRemainingMs: Math.max(0, this.throttleWait.blockedUntilMs - nowMs),
      ...(budgetUsed !== undefined ? { budgetUsed } : {}),
      retryAfterTrusted: this.throttleWait.retryAfterTrusted,
      hiddenLimitLearned: this.controller.hasLearnedLimit,
      latencyP50Ms: this.latency.percentile(50),
      latencyP95Ms: this.latency.percentile(95),
      throttle: this.throttleSnapshotAt(nowMs, pacingRatePerSecond),
    };
  }

  /**
   * The pace at this instant, requests per second: the snapshot's `pacingRatePerSecond` alone,
   * a pure read as the snapshot is (a caller that records it per request builds nothing else).
   */
  pacingRatePerSecond(): number {
    return this.pacingRate(this.clock.nowMs(), false);
  }

  /** What the throttle is doing and why, for the UI's charts (see `buildThrottleSnapshot`). */
  throttleSnapshot(): ThrottleSnapshot {
    const nowMs = this.clock.nowMs();
    return this.throttleSnapshotAt(nowMs, this.pacingRate(nowMs, false));
  }

  private throttleSnapshotAt(nowMs: number, pacingRatePerSecond: number): ThrottleSnapshot {
    const hidden = this.controller.lastLossRatePerSecond;
    return buildThrottleSnapshot({
      nowMs,
      pacingRatePerSecond,
      reportedWindow: this.window.described,
      headroom: this.options.headroom,
      learnedHiddenLimitPerSecond: hidden,
      blockedUntilMs: this.throttleWait.blockedUntilMs,
      lastWait: this.throttleWait.lastDecision,
      retryAfterTrusted: this.throttleWait.retryAfterTrusted,
    });
  }

  /**
   * Whether a hidden 429 on a limit without burst is the pair's, not the pace's: the request
   * sent just before it got through after a round trip longer than the median by more than half
   * the spacing between their sends. It may have reached the server that much late (a stalled
   * server loop reads a request when the stall ends), nearer this one than to its own slot, and
   * such a limit refuses two requests closer than its spacing whatever the pace
   * (docs/ARCHITECTURE.md, "The loss rate: what one 429 says"). Slow start's losses are the
   * pace's: it runs far above the limit.
   */
  private bunchedBehind(permit: Permit): boolean {
    if (!this.controller.hasLearnedLimit || this.bucket.burst > 1) return false;
    const before = this.lastAdmitted;
    if (!before || before.sequence !== permit.sequence - 1) return false;
    const lateMs = before.latencyMs - this.latency.percentile(50);
    return lateMs > (permit.sentAtMs - before.sentAtMs) / 2;
  }

  private onThrottle(
    permit: Permit,
    feedback: PermitFeedback,
    count: number | undefined,
    allowed: number | undefined,
    inFlightMet: number,
  ): number {
    const nowMs = this.clock.nowMs();
    if (feedback.retryAfterMs !== undefined) this.period.observeRetryAfter(feedback.retryAfterMs);
    // the headers describe the layer that refused: trust them, spend nothing until the reset
    const windowFull = count !== undefined && allowed !== undefined && count >= allowed;
    // headers that show room left prove Retry-After describes their layer, not the one that
    // refused: the limiter then sizes the pause itself; without headers it honours Retry-After
    const describesOtherLayer = count !== undefined && allowed !== undefined && count < allowed;
    let hiddenPauseMs: number | undefined;
    let concurrencyBound = false;
    let bunched = false;
    let firstHiddenLoss = false;
    let firstCycle: FirstCycle | undefined;
    if (windowFull) this.window.markExhausted();
    else if (!feedback.sideCall) {
      // a layer the headers do not describe: learn it, and stop reading their reset as its
      const cycle = this.hiddenBudget.onHiddenThrottle(nowMs, permit.sentAtMs);
      // refused while others were in flight, under a cap not met before and with no request
      // sent with as many in flight lately let through: a latency-bound limit (requests in
      // flight) binds, not a rate; fewer in flight, not a slower pace
      concurrencyBound = this.concurrencyCap.onThrottle(inFlightMet, nowMs, this.period.periodMs);
      // only slow start's first cycle times the period: it starts from a fresh budget and runs
      // well above the limit, so it spends one window's; a later cycle starts from a partly
      // renewed budget or runs just above the limit for many windows (docs/ARCHITECTURE.md,
      // "The throttle"). Taken when the first was too small to time, a 40 s cycle set a 45 s
      // period, and every hold and climb after it lasted minutes
      // (a 429 the concurrency cap explains ends no rate limit's cycle: timed, the span between
      // two of the cap's own 429s set a period of a fifth of a second, and the cap, which
      // relaxes after three periods, drew a 429 every second and a half)
      if (cycle !== undefined && !this.controller.hasLearnedLimit && !concurrencyBound) {
        this.period.observeCycle(cycle.durationMs, cycle.successes);
        // the controller's measure of the cycle a long wait would repeat, timed by its sends:
        // the first upload's answer comes late by a cold connection's setup, and the cycle
        // timed from it read that measure 2.4% high, a pace a fixed window refused once more
        const sentFromMs = this.firstSuccessSentMs ?? permit.sentAtMs;
        firstCycle = { durationMs: permit.sentAtMs - sentFromMs, successes: cycle.successes };
        // a fresh budget that let one through and refused the next, sent a spacing later,
        // holds one request: the limit admits no two closer than its spacing, and the pacer's
        // slack (a request sent early after a late one) would draw a 429 each time a timer
        // runs late (docs/ARCHITECTURE.md, "The throttle")
        if (cycle.successes === 1) {
          this.bucket.setBurst(1);
          this.controller.markWithoutBurst();
        }
      }
      this.windowPhase.onHiddenThrottle(permit.sentAtMs, this.pacingRate(nowMs));
      const probedRenewal =
        !this.succeededSinceWait && permit.sentAtMs >= this.throttleWait.blockedUntilMs;
      this.renewal.onHiddenThrottle(permit.sentAtMs, probedRenewal);
      // refused, that probe raised the renewal's lower bound (`RateController.renewalRefused`)
      if (probedRenewal) this.controller.renewalRefused(this.renewal.spentBounds(MIN_TIMED_BUDGET));
      const learned = this.controller.hasLearnedLimit;
      firstHiddenLoss = !learned;
      const paced = this.pacingRate(nowMs);
      const lossPeriodMs = this.period.periodFor(this.controller.lastLossRatePerSecond);
      // what got through since the last loss (see `SuccessRateMeter.sinceLoss`)
      const succeeded = this.successes.sinceLoss({
        nowMs,
        lossAtMs: this.lastHiddenLossMs,
        firstSuccessMs: this.firstSuccessMs,
        waitEndMs: this.throttleWait.blockedUntilMs,
        renewMs: 0.5 * lossPeriodMs,
        minSpanMs: (10 * 1000) / paced,
      });
      // a 429 before anything got through after a wait says the wait was short (the hidden
      // budget was still spent), not that the pace is too high: only the wait escalates; one
      // behind a request held on its way in says neither (`bunchedBehind`): the wait alone
      bunched = this.bunchedBehind(permit);
      if (this.succeededSinceWait && !concurrencyBound && !bunched) {
        this.lastHiddenLossMs = nowMs;
        // a probe's measure spans at least a limit period and ten requests (one renewal of
        // the budget, and enough successes to say more than their spacing)
        const probeMinSpanMs = Math.max(lossPeriodMs, (10 * 1000) / paced);
        const spacing = this.admittedSpacingMs;
        this.controller.onThrottle(nowMs, permit.sentAtMs, {
          succeededPerSecond: succeeded,
          pacedPerSecond: paced,
          deliveredSince: (fromMs) =>
            this.successes.deliveredPerSecond(nowMs, Math.max(nowMs - fromMs, probeMinSpanMs)),
          spacedPerSecond: spacing === undefined ? undefined : 1000 / spacing,
          admitted: cycle?.successes,
          renewal: this.renewal.spentBounds(MIN_TIMED_BUDGET),
        });
      }
      this.controller.setPeriod(this.period.periodFor(this.controller.lastLossRatePerSecond));
      if (describesOtherLayer) {
        hiddenPauseMs = this.hiddenPause.pauseMs({
          nowMs,
          learned,
          succeededSinceWait: this.succeededSinceWait,
          pacingPerSecond: this.pacingRate(nowMs),
          pacedPerSecond: paced,
          succeededPerSecond: succeeded,
          periodMs: this.period.periodMs,
          firstSuccessMs: this.firstSuccessMs,
          reportedWindowMs: this.window.described?.lengthMs,
        });
        // a cycle that spent the budget the renewal was searched with: its wait ends no
        // sooner than the search's next try (`RenewalSearch`), counted from its beginning
        const renewedByMs = this.renewal.renewedByMs(MIN_TIMED_BUDGET);
        if (renewedByMs !== undefined)
          hiddenPauseMs = Math.max(hiddenPauseMs ?? 0, renewedByMs - nowMs);
      }
    }
    this.bucket.drain(nowMs);
    const decision = this.throttleWait.onThrottle(
      nowMs,
      permit.sentAtMs,
      feedback.retryAfterMs,
      windowFull ? this.window.resetInMs(nowMs) : 0,
      hiddenPauseMs,
    );
    if (!decision.isEcho && firstHiddenLoss && this.uploadsOpenedLagMs !== undefined) {
      // slow start's first hidden 429: a layer only the uploads reach opened its window when
      // the run's first upload arrived, up to that request's round trip after it was sent, while
      // the reported window (which a short Retry-After names) opened earlier, with the first
      // request the limiter let go (the list read, the limits read). A request sent as that
      // Retry-After ends can reach the hidden layer just before its window closes, and its
      // refusal, the first request of a fresh reported window, is told to wait that whole
      // window. So the first request after this wait goes that much later: from the first
      // request to the first upload's answer. Only this once: after it both windows are closed,
      // and one request opens them together (docs/ARCHITECTURE.md, "The wait after a 429")
      this.throttleWait.extendTo(this.throttleWait.blockedUntilMs + this.uploadsOpenedLagMs);
    }
    const closedByMs =
      windowFull || feedback.sideCall ? undefined : this.windowPhase.refusedWindowClosedByMs;
    if (!decision.isEcho && closedByMs !== undefined) {
      // a hidden fixed window refused at the count the last one did since a known opening: it
      // closes by that opening plus the longest a window has proven to last (U), so a wait the
      // limiter sized itself (an escalation after a Retry-After proven short) ends there, never
      // before Retry-After (docs/ARCHITECTURE.md, "The throttle")
      this.throttleWait.shortenTo(Math.max(closedByMs, nowMs + (feedback.retryAfterMs ?? 0)));
    }
    if (!decision.isEcho) {
      // a hidden layer's 429 before anything got through after the last wait: that wait did
      // not renew its budget (`RateController.refuteRenewal`)
      if (!windowFull && !feedback.sideCall && !this.succeededSinceWait)
        this.controller.refuteRenewal();
      this.hiddenPause.onWait(hiddenPauseMs);
      this.succeededSinceWait = false;
      this.admittedSentMs = undefined;
      this.admittedSpacingMs = undefined;
      if (concurrencyBound) this.concurrencyCap.onWait(decision.waitMs, this.period.periodMs);
    }
    // slow start's first cycle, for a wait long enough to renew its whole budget (the
    // controller's `skipRepeatedCycle`, taken back when the first request after it is refused).
    // A bunched pair's wait holds no climb: restarted, a probe under way fell back to the loss
    // rate as after a loss the controller was never told of
    if (!bunched)
      this.controller.holdFrom(
        this.throttleWait.blockedUntilMs,
        decision.isEcho ? undefined : firstCycle,
      );
    // the wait as it now ends (an echo's too: its decision is the current wait's remainder)
    return Math.max(0, this.throttleWait.blockedUntilMs - nowMs);
  }

  /**
   * The pace: the rate controller's, held to what a fitted fixed window and the headers' window
   * keep (`keptPace`). `advance` false reads it without moving the climb on (the metrics'
   * reading); a reading that paces moves the climb on first (a probe's start, a held rate taken
   * back) and notes the pace it kept, built from one reading of the rate
   * (`RateController.paceAt`): the climb moves on only through time its rate was the pace.
   */
  private pacingRate(nowMs: number, advance = true): number {
    const spend = this.window.spendRatePerSecond(nowMs);
    if (spend !== undefined && !this.controller.hasLearnedLimit) return spend;
    return advance
      ? this.controller.paceAt(nowMs, this.keptPace)
      : this.keptPace(this.controller.rate(nowMs), nowMs);
  }

  /**
   * The pace the limiter keeps of the controller's `ratePerSecond` at `nowMs`: held to what a
   * fitted fixed window proves (`WindowPhase`, kept to it unless that window was learned well
   * below a rate held before: the limit fell) and to the headers' window's even spend. One
   * function for the limiter's life, not one per reading: the pacer reads it for every request.
   */
  private readonly keptPace = (ratePerSecond: number, nowMs: number): number => {
    const hidden = this.windowPhase.pacePerSecond(
      ratePerSecond,
      this.bucket.burst - 1,
      this.controller.fellFromPerSecond,
      this.work.requests,
    );
    const spend = this.window.spendRatePerSecond(nowMs);
    return spend === undefined ? hidden : Math.min(spend, hidden);
  };

  /** Requests in flight allowed at `nowMs` at the pace `pacePerSecond` and the cap 429s taught. */
  private concurrencyLimit(nowMs: number, pacePerSecond: number): number {
    const { initialConcurrency, minConcurrency, maxConcurrency } = this.options;
    const p95Ms = this.latency.percentile(95);
    const cap = this.concurrencyCap.valueAt(nowMs);
    if (p95Ms === 0) return Math.max(1, Math.min(initialConcurrency, cap));
    // enough in flight to keep the pace over the slow answers, one spare; never below the minimum asked for
    const needed = Math.ceil((pacePerSecond * p95Ms) / 1000) + 1;
    const limit = Math.min(maxConcurrency, Math.max(minConcurrency, needed));
    return Math.max(1, Math.min(limit, cap));
  }

  /**
   * When the reported window an upload sent at `uploadSentMs` went in opened, as far as the
   * limiter can tell: with the first request it let go (a list read, the limits read) when that
   * came less than one described window before, else with the upload itself (a window the
   * headers never described, or one long closed since an earlier run's reads).
   */
  private reportedOpenedMs(uploadSentMs: number): number {
    const lengthMs = this.window.described?.lengthMs ?? 0;
    const firstMs = this.firstSentMs ?? uploadSentMs;
    return uploadSentMs - firstMs < lengthMs ? firstMs : uploadSentMs;
  }

  private grant(nowMs: number): Permit {
    this.firstSentMs ??= nowMs;
    this.bucket.tryTake(nowMs);
    this.inFlight += 1;
    const sequence = this.window.issue(nowMs);
    for (const [other, met] of this.inFlightMet)
      this.inFlightMet.set(other, Math.max(met, this.inFlight));
    this.inFlightMet.set(sequence, this.inFlight);
    return { sequence, sentAtMs: nowMs };
  }

  private gateDelayMs(nowMs: number): number {
    // one reading of the pace per decision: the concurrency it needs and the pacer's rate
    const pace = this.pacingRate(nowMs);
    if (this.inFlight >= this.concurrencyLimit(nowMs, pace)) return Infinity; // woken by complete()
    const blockedMs = this.throttleWait.blockedUntilMs - nowMs;
    if (blockedMs > 0) return blockedMs;
    const windowMs = this.window.delayMs(nowMs, this.options.windowMarginMs);
    if (windowMs > 0) return windowMs;
    this.bucket.setRate(pace, nowMs);
    // the run's last requests fit in a fitted fixed window: at once, not at the pace
    // (docs/ARCHITECTURE.md, "A hidden fixed window")
    if (this.windowPhase.burstFits(nowMs, this.work.requests)) return 0;
    return this.bucket.delayUntilNextMs(nowMs);
  }
}
