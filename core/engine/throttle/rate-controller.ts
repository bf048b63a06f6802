import { HeldRates } from './held-rates';
import { LimitDrift } from './limit-drift';
import { climbRate, recoveryMs, searchTarget, type ClimbState } from './pace-climb';
import {
  budgetShrank,
  cycleLossRate,
  fallIsMovement,
  measuredAgainRate,
  PLATEAU_TOLERANCE,
  plateauRate,
  probeLossRate,
  repeatedCycleRate,
  refusedAgain,
  refusedAgainRate,
  renewalCarryMs,
  renewalMiddleRate,
  renewedRate,
  seenAboveHeldRate,
  sentThrough,
  spacedThroughRate,
  swingTopLossRate,
  type AdmittedCycle,
  type ClimbSpan,
  type DeliveredSince,
  type FirstCycle,
  type LossHistory,
  type RenewalBounds,
} from './loss-evidence';
import {
  defaultRateControllerOptions,
  type RateControllerOptions,
} from './rate-controller-options';

export {
  defaultRateControllerOptions,
  type RateControllerOptions,
} from './rate-controller-options';

/**
 * What the limiter measured about the cycle that drew a hidden-layer 429
 * (`RateController.onThrottle`); each field is left out when it was not measured.
 */
export interface ThrottleEvidence {
  /** What actually got through recently, per second. */
  succeededPerSecond?: number;
  /** The pace kept when the throttled request left, per second. */
  pacedPerSecond?: number;
  /** What got through from `fromMs` to now, per second (a probe's measure). */
  deliveredSince?: DeliveredSince;
  /**
   * The spacing of the last two successes sent since the last wait, per second: what a limit
   * without burst admitted (`spacedThroughRate`).
   */
  spacedPerSecond?: number;
  /** What got through from the end of the last wait to this 429: a budget's count (`budgetShrank`). */
  admitted?: number;
  /**
   * When this cycle spent the budget the renewal search bounds (`RenewalSearch.spentBounds`):
   * its count and renewal bounds.
   */
  renewal?: RenewalBounds;
}

/**
 * Learns the rate of a limit the headers do not describe (docs/ARCHITECTURE.md, "The
 * throttle": a 429 while `count < allowed` means a hidden layer binds), CUBIC-style. A 429 sets
 * the loss rate to what actually got through (never more than the pace that drew it) and
 * restarts the pace a little below it; from the end of the wait the pace climbs back along a
 * cubic: fast (concave) at first, flat around the loss rate, where it spends most of its time,
 * then faster and faster above it (convex), which is the probe that finds a limit that rose or
 * a background consumer that went quiet. A limit that fell shows as a 429 below the old loss
 * rate and becomes the new loss rate; a rate held before is remembered and re-probed sooner,
 * and a limit seen moving (`LimitDrift`) is probed as often as its speed makes worth a 429's
 * wait. Probes are spaced by what a 429 costs (the wait it causes, `holdFrom`). Every other
 * time constant is a multiple of the limit period, measured by `setPeriod`, so one tuning fits
 * a 1-second window and a 2-minute one. Several 429s of one burst count once. This class keeps
 * the state; what a loss tells is weighed by the rules in `loss-evidence.ts`, and the climb's
 * curve is `climbRate` (`pace-climb.ts`).
 */
export class RateController {
  private readonly options: RateControllerOptions;
  private periodMs = 1000;
  private slowStartRate: number;
  private slowStartFromMs: number;
  private lossRate: number | undefined;
  private climbFromMs = 0;
  private lastDecreaseMs = -Infinity;
  private lossCount = 0;
  /** What one probe costs, ms: the last loss's org-wide wait, at least `minLossCostRequests`' time. */
  private lossCostMs = 0;
  /** How long the last loss's org-wide wait lasted, ms (what renewed the budget after it). */
  private lastWaitMs = 0;
  /** The last few loss rates the pace held for a whole climb (a loss well below one: it moved). */
  private readonly heldRates = new HeldRates();
  /** Losses at the plateau in a row: the second and later step the loss rate down. */
  private plateauLosses = 0;
  /** Whether the last loss came after the pace held the loss rate before it a whole climb. */
  private lastLossHeld = false;
  /**
   * What got through over the last loss's cycle when that loss came on the climb (not held,
   * neither fallen short nor a pace that got through) and it was below the pace (`measuredAgainRate`).
   */
  private lastClimbMeasure: number | undefined;
  /** When this climb's pace first rose above the loss rate (a probe began), clock ms. */
  private probeFromMs: number | undefined;
  /**
   * When this climb's pace first rose past the middle between the loss rate and a rate held
   * before the limit fell, clock ms (`returnProven`).
   */
  private backFromMs: number | undefined;
  /**
   * The loss rate a search's try (`searchTarget`) took over from, when the pace had held it for
   * a whole climb: a rate the limit admits, until the next loss (undefined: none).
   */
  private searchBottom: number | undefined;
  private readonly drift = new LimitDrift();
  /** Whether the last loss took the pace for its rate over a measure that fell short (`sentThrough`). */
  private lastSentThrough = false;
  /**
   * What got through over the last loss's cycle when it fell short of the pace: a rate the
   * limit admitted over a whole cycle, wait and all (the loss rate may be the floor above it).
   */
  private lastMeasuredRate: number | undefined;
  /**
   * When the climb began that proves the loss rate after a loss whose pace got through
   * (`sentThrough`): the pace stood at or above that loss rate since, that 429 aside, so a
   * whole climb counts from there, not from the end of its short wait. Undefined otherwise.
   */
  private provenFromMs: number | undefined;
  /**
   * Climb time since the wait that the pace spent held below the climb's rate, the rate above
   * every rate seen (`notePace`), ms: the climb does not move on through it.
   */
  private untestedClimbMs = 0;
  /** The last pace noted (`notePace`): when, and whether the climb ran above it then. */
  private lastPaceNote: { atMs: number; untested: boolean } | undefined;
  /**
   * What slow start's loss was before `skipRepeatedCycle` took the repeated cycle's, until the
   * first request after that wait answers (`confirmRenewal`, `refuteRenewal`).
   */
  private skippedFrom: { lossRate: number; plateauLosses: number } | undefined;
  /**
   * The lowest pace refused since slow start's loss fell short with its measure the loss rate
   * (not below the floor share), undefined otherwise: the limit lies below it, and the climb
   * searches between it and the loss rate (`searchTarget`).
   */
  private refusedAbove: number | undefined;
  /**
   * The pace refused at the last loss when the floor set the loss rate (a share of that pace,
   * not a measure), undefined otherwise: the probe's hold is priced by the gap up to it.
   */
  private floorRefused: number | undefined;
  /** Whether slow start's first cycle proved the limit without burst (`markWithoutBurst`). */
  private withoutBurst = false;
  /**
   * The cycle that ended at the last loss, from its wait's end: what it admitted, that wait,
   * and the pace it restarted at, its slowest (`budgetShrank`). Undefined after slow start's.
   */
  private lastCycle: AdmittedCycle | undefined;
  /** The pace the climb restarted at when the last wait ended, per second. */
  private restartRate = 0;
  /** The requests the runs still have to send (`readWorkLeftFrom`; undefined: unknown). */
  private workLeft: () => number | undefined = () => undefined;

  constructor(nowMs: number, options: Partial<RateControllerOptions> = {}) {
    this.options = { ...defaultRateControllerOptions, ...options };
    this.slowStartRate = this.options.initialRatePerSecond;
    this.slowStartFromMs = nowMs;
  }

  /** Whether a hidden-layer 429 has been seen (the rate is then a learned limit, not a guess). */
  get hasLearnedLimit(): boolean {
    return this.lossRate !== undefined;
  }

  /** How many distinct loss events (decreases) happened. */
  get losses(): number {
    return this.lossCount;
  }

  /** The best estimate of the hidden limit, requests per second: what got through at the last loss. */
  get lastLossRatePerSecond(): number | undefined {
    return this.lossRate;
  }

  /**
   * A rate below this, per second, is well below a rate the pace held recently (by more than a
   * loss that fell short): the limit fell from there and may come back (0: none held).
   */
  get fellFromPerSecond(): number {
    return this.heldRates.highPerSecond * this.options.fellShortShare;
  }

  /**
   * The pace held `ratePerSecond` without a 429 by another proof than a whole climb (a fitted
   * fixed window's B per U, refuted since by a smaller count): remembered as a rate held, so a
   * loss rate well below it probes for its return.
   */
  noteHeldRate(ratePerSecond: number): void {
    if (ratePerSecond > 0 && Number.isFinite(ratePerSecond)) this.heldRates.add(ratePerSecond);
  }

  /** What a loss counts as costing at least, in requests' time (a refused probe's price). */
  get minLossCostRequests(): number {
    return this.options.minLossCostRequests;
  }

  /** The time constant everything is scaled by, milliseconds. */
  get limitPeriodMs(): number {
    return this.periodMs;
  }

  /**
   * Slow start's first cycle admitted one request from a fresh budget: the limit has no burst, so
   * a pace that got through since a wait is proven by its spacing (`sentThroughWithoutBurst`).
   */
  markWithoutBurst(): void {
    this.withoutBurst = true;
  }

  /**
   * Where to read the requests the runs still have to send (`WorkLeft`): a probe above a proven
   * rate is priced by them (`ClimbState.requestsLeft`); unknown, it is priced as before.
   */
  readWorkLeftFrom(read: () => number | undefined): void {
    this.workLeft = read;
  }

  /** Sets the measured limit period (see `LimitPeriod`), milliseconds. */
  setPeriod(periodMs: number): void {
    if (periodMs > 0 && Number.isFinite(periodMs)) {
      this.periodMs = periodMs;
      this.drift.setPeriod(periodMs);
    }
  }

  /**
   * The pacing rate at `nowMs`, requests per second. A pure read: what happens as the climb
   * goes on (a probe's start, a held rate taken back) is `advanceTo`'s, which the pacer calls
   * before it reads.
   */
  rate(nowMs: number): number {
    if (this.lossRate === undefined) {
      const periods = Math.max(0, nowMs - this.slowStartFromMs) / this.periodMs;
      return this.withinLimits(
        this.slowStartRate * (1 + this.options.slowStartGrowthPerPeriod) ** periods,
      );
    }
    // a rate held before the limit fell, reached but not yet proven (`returnProven`), is where
    // the pace waits
    const grown = this.climbAt(this.lossRate, nowMs);
    const high = this.heldRates.highPerSecond;
    return this.withinLimits(this.returningToHeldRate() && grown > high ? high : grown);
  }

  /** `ratePerSecond` brought within the options' floor and ceiling. */
  private withinLimits(ratePerSecond: number): number {
    return clamp(ratePerSecond, this.options.minRatePerSecond, this.options.maxRatePerSecond);
  }

  /**
   * Moves the climb on to `nowMs`, as the pacer reads the pace then (`paceAt` calls it before
   * every reading of `rate` that paces, and `onThrottle` before weighing a loss): it first
   * takes out the stretch since the last pace noted if that stretch tested nothing
   * (`takeOutUntested`), notes when the climb first rose above the loss rate (a probe began,
   * measured from there by `onThrottle`), and a climb that reached a rate held before the limit
   * fell takes it back as the loss rate.
   */
  advanceTo(nowMs: number): void {
    this.advance(nowMs);
  }

  /**
   * `advanceTo`, returning the climb's rate at `nowMs` as the climb then stands (`climbAt`, not
   * clamped; undefined in slow start): `paceAt` paces from it instead of climbing a second time.
   */
  private advance(nowMs: number): number | undefined {
    if (this.lossRate === undefined) return undefined;
    this.takeOutUntested(nowMs);
    const state = this.climbState(this.lossRate, nowMs);
    const grown = climbRate(state, this.options);
    if (grown > this.lossRate * (1 + PLATEAU_TOLERANCE)) this.probeFromMs ??= nowMs;
    // The probe back toward a rate held before the limit fell reached it without a 429: the
    // limit is back (the other tool stopped, the background consumer went quiet), so that rate
    // is the loss rate again. The pace restarts its climb a little below it, as after a loss,
    // and holds there as at a static limit: going on at the moving limit's speed would only
    // overshoot into a 429 whose diluted measure sets the loss rate below the limit again.
    // Unless the last losses saw the limit above that rate: it is then a swinging limit's low
    // (`seenAboveHeldRate`), and the pace goes on following it. Reached, the rate proves the
    // return only once the pace stood above the middle between the loss rate and it for a
    // limit period (`returnProven`); until then the pace waits at it, no higher.
    const high = this.heldRates.highPerSecond;
    const returning = this.returningToHeldRate();
    if (returning && grown >= Math.sqrt(this.lossRate * high)) this.backFromMs ??= nowMs;
    if (returning && grown >= high) {
      if (!this.returnProven(nowMs)) return high;
      this.backFromMs = undefined;
      this.lossRate = high;
      this.climbFromMs = nowMs;
      this.untestedClimbMs = 0;
      this.probeFromMs = undefined;
      this.drift.reset();
      return this.advance(nowMs);
    }
    // The climb reached the middle of the interval a loss left (`searchTarget`) without a
    // 429: the limit admits it, so it is the loss rate, and the next search bisects what is
    // left above it, up to the lowest pace refused
    const target = searchTarget(state, this.options);
    if (target > 0 && grown >= target) {
      this.backFromMs = undefined;
      const climbHeld =
        nowMs - this.climbFromMs >= recoveryMs(this.lossRate, this.periodMs, this.options);
      this.searchBottom = climbHeld ? this.lossRate : undefined;
      this.lossRate = target;
      this.climbFromMs = nowMs;
      this.untestedClimbMs = 0;
      this.probeFromMs = undefined;
      return this.advance(nowMs);
    }
    return grown;
  }

  /**
   * Seeds the pre-loss rate from published limits (limits API or headers), so slow start
   * begins at the known budget instead of a guess. Ignored once a loss has been learned.
   */
  seed(ratePerSecond: number, nowMs: number): void {
    if (this.lossRate !== undefined || !(ratePerSecond > 0)) return;
    this.slowStartRate = ratePerSecond;
    this.slowStartFromMs = nowMs;
  }

  /**
   * A hidden-layer 429. `sentAtMs` is when the throttled request left (ignored if before the
   * last decrease); `evidence` is what the limiter measured about the cycle that drew it
   * (`ThrottleEvidence`). Returns whether the rate was decreased.
   */
  onThrottle(nowMs: number, sentAtMs: number, evidence: ThrottleEvidence = {}): boolean {
    const {
      succeededPerSecond: succeededRatePerSecond,
      pacedPerSecond: pacedRatePerSecond,
      deliveredSince,
      spacedPerSecond,
      admitted,
      renewal,
    } = evidence;
    if (sentAtMs < this.lastDecreaseMs) return false;
    const measured = succeededRatePerSecond !== undefined && succeededRatePerSecond > 0;
    // the pace actually kept (a header-described window can hold it below this controller's),
    // and never below what got through: what got through was sent at least that fast. The
    // window's pace of the moment falls to a request or two per second as a nearly spent
    // window ends; taken for the pace that drew the loss it would be learned as the limit
    const kept = Math.max(pacedRatePerSecond ?? Infinity, measured ? succeededRatePerSecond : 0);
    this.advanceTo(nowMs);
    const current = Math.min(this.rate(nowMs), kept);
    // a pace just above the limit got (almost) all through: the pace is the loss point; a pace
    // far above it (slow start, a limit that fell) got through only what the limit allows. A
    // cycle's measure counts part of the wait that began it: after a short wait, a pace kept
    // long enough since it to prove it got through (`sentThrough`) is the better evidence
    const short = measured && succeededRatePerSecond < current * this.options.fellShortShare;
    // on a limit without burst the spacing proves it (`spacedThroughRate`), measure or not
    const spaced =
      this.withoutBurst && this.lossCount > 0
        ? spacedThroughRate(
            this.span(),
            nowMs,
            { pace: current, spacedPerSecond, admitted, lastSentThrough: this.lastSentThrough },
            deliveredSince,
            this.options,
          )
        : undefined;
    const spacedThrough = spaced !== undefined;
    // a cycle that began on a budget its wait renewed in full (the renewal search bounds when
    // it renews) proves nothing kept for less than that renewal (`renewalCarryMs`)
    const span = this.span(renewalCarryMs(renewal));
    const paceSentThrough =
      spacedThrough ||
      (short && sentThrough(span, this.history(), nowMs, current, deliveredSince, this.options));
    const fellShort = short && !paceSentThrough;
    // a pace kept long enough but for the renewal: the budget it spent renews by the upper
    // bound, so the limit admits that count over it, and the measure, diluted by the wait, is
    // no lower bound (docs/ARCHITECTURE.md, "The loss rate: what one 429 says")
    const renewedOnly =
      fellShort &&
      renewal !== undefined &&
      sentThrough(this.span(), this.history(), nowMs, current, deliveredSince, this.options);
    const previousRate = this.lossRate;
    const seenAbove = this.seenAboveHeldRate();
    // one loss lowers the pace by a bounded step; a pace that got through is the loss point
    // (`cycleLossRate`), no more than what its spacing got through on a limit without burst
    this.lossRate = Math.min(
      cycleLossRate(
        current,
        fellShort ? succeededRatePerSecond : undefined,
        paceSentThrough,
        this.options,
      ),
      spaced ?? Infinity,
    );
    if (renewedOnly)
      this.lossRate = Math.max(this.lossRate, Math.min(current, renewedRate(renewal)));
    // a cycle that spent the budget the renewal search bounds: the limit is that count per its
    // renewal, which the search's next wait tries at the middle of the bounds; a loss rate above
    // that middle's rate is a pace the search has not found admitted (`renewalMiddleRate`)
    this.lossRate = Math.min(this.lossRate, renewalMiddleRate(renewal));
    // the previous loss rate is proven when the pace stood at it for a whole climb
    const held =
      previousRate !== undefined &&
      nowMs - this.climbFromMs >= recoveryMs(previousRate, this.periodMs, this.options);
    // and, to be remembered as a rate held (`heldRates`), when it stood there since the climb
    // before a loss whose pace got through (`provenFromMs`) and this cycle got through about
    // the pace: a limit measured a shade high keeps drawing such 429s less than a climb apart
    // and would never prove the rate it stood at, so a fall from it was held as a static limit
    // (docs/ARCHITECTURE.md, "The throttle")
    const proven =
      held ||
      (previousRate !== undefined &&
        !short &&
        this.provenFromMs !== undefined &&
        nowMs - this.provenFromMs >= recoveryMs(previousRate, this.periodMs, this.options));
    // a probe's loss (the pace held the previous loss rate, then rose past it): `probeLossRate`,
    // unless its spacing proved the limit (a middle with the rate held assumes a burst it rode)
    if (held && previousRate !== undefined && current >= previousRate && !spacedThrough) {
      const { probeFromMs, periodMs } = this;
      const probe = { heldRate: previousRate, paced: current, probeFromMs, nowMs, periodMs };
      const swinging = seenAbove
        ? {
            driftPerSecond: this.drift.perSecond,
            highRatePerSecond: this.drift.highRatePerSecond,
            swungOverPeriods: this.drift.swungOverPeriods(),
          }
        : undefined;
      this.lossRate = probeLossRate(this.lossRate, probe, swinging, deliveredSince, this.options);
    }
    // a loss of the follow past the last losses' high on a swing proven over periods, its
    // measure averaging the ramp from the low: the last period's count (`swingTopLossRate`)
    if (!held && fellShort) {
      this.lossRate = swingTopLossRate(
        this.lossRate,
        {
          highRatePerSecond: this.drift.highRatePerSecond,
          swungOverPeriods: this.drift.swungOverPeriods(),
        },
        { nowMs, paced: current, periodMs: this.periodMs },
        deliveredSince,
      );
    }
    // a loss on the climb back at about the last loss rate (`refusedAgain`)
    const onClimb = !held && !fellShort && !paceSentThrough && previousRate !== undefined;
    const climbRefusedAgain = onClimb && refusedAgain(current, previousRate, this.options);
    // a loss at the plateau (the pace held the loss rate for a whole climb and tried nothing
    // above it) steps down only when it repeats (see `plateauRate`); that rate refused again
    // on the climb back after it does not end the run: a limit that dips below the plateau
    // every few seconds (a consumer sharing the budget, its use swinging) refused it twice per
    // dip, each pair a first plateau loss and a climb loss, and the plateau never stepped down
    const atPlateau =
      held && previousRate !== undefined && current <= previousRate * (1 + PLATEAU_TOLERANCE);
    if (atPlateau) {
      this.lossRate = plateauRate(
        Math.min(current, previousRate),
        this.plateauLosses,
        this.options,
      );
      this.plateauLosses += 1;
    } else if (!climbRefusedAgain) this.plateauLosses = 0;
    // a loss on the climb back at about the last loss rate, before a climb's requests went
    // through since the wait: that rate refused twice in a row (`refusedAgainRate`)
    if (onClimb) {
      const requestsSinceWait = ((nowMs - this.climbFromMs) / 1000) * previousRate;
      const requestsPerPeriod = (this.periodMs / 1000) * previousRate;
      const lastLossHeld = this.lastLossHeld;
      this.lossRate = refusedAgainRate(
        this.lossRate,
        { paced: current, previousRate, requestsSinceWait, requestsPerPeriod, lastLossHeld },
        measured ? succeededRatePerSecond : undefined,
        this.options,
      );
    }
    // a loss on the climb back at about the last loss rate, each of the last two cycles letting
    // less than its pace through: that rate refused on two climbs in a row (`measuredAgainRate`)
    const climbMeasure =
      !held && !fellShort && !paceSentThrough && measured && succeededRatePerSecond < current
        ? succeededRatePerSecond
        : undefined;
    if (climbMeasure !== undefined && previousRate !== undefined) {
      this.lossRate = measuredAgainRate(
        this.lossRate,
        { paced: current, previousRate },
        climbMeasure,
        this.lastClimbMeasure,
        this.options,
      );
    }
    this.lastClimbMeasure = climbMeasure;
    // a search's try refused before the pace held it a whole climb: reaching it proved little (a
    // budget the wait renewed carries a pace above the limit for a while), but the rate the
    // search left had held a whole climb, and a limit not seen moving still admits it; the
    // cycle's measure, diluted by every wait since the last loss, is no bound below it (a
    // sliding log of 16.2/s, its search at 14.8/s for 13 s, took a try at 16.6/s refused 0.4 s
    // after reaching it down to 13.7/s, docs/ARCHITECTURE.md, "The climb after a loss")
    if (!held && this.searchBottom !== undefined && this.drift.perSecond === 0)
      this.lossRate = Math.max(this.lossRate, Math.min(current, this.searchBottom));
    this.searchBottom = undefined;
    // the first loss ends slow start: its rate is the pace, not a measure of the limit
    if (this.lossCount > 0) {
      // a fall counts as movement after a cheap wait or a rate kept long enough (`fallIsMovement`)
      // or when the cycle admitted a share of what the last one did (`budgetShrank`)
      const cycle = admitted === undefined ? undefined : { admitted, waitMs: this.lastWaitMs };
      const moved =
        fallIsMovement(span, nowMs, previousRate, this.options) ||
        budgetShrank(cycle, current, this.lastCycle, this.periodMs, this.options);
      // a pace that got through is as much a measure of the limit as what got through
      this.drift.onLoss(nowMs, this.lossRate, held, fellShort || paceSentThrough, moved);
    }
    // a probe that found the limit back at a rate held before it fell (another tool stopped, a
    // background consumer went quiet): the move is over, and a limit standing still again is
    // probed as rarely as a static one; its earlier speed no longer predicts the next move
    // (not when that rate was a swinging limit's low, `seenAboveHeldRate`)
    if (
      held &&
      previousRate !== undefined &&
      this.belowHeldRate(previousRate) &&
      !this.belowHeldRate(this.lossRate) &&
      !seenAbove
    ) {
      this.drift.reset();
    }
    if (proven && previousRate !== undefined) this.heldRates.add(previousRate);
    this.lastCycle =
      admitted !== undefined && this.lossCount > 0
        ? { admitted, waitMs: this.lastWaitMs, restartPerSecond: this.restartRate }
        : undefined;
    this.provenFromMs = paceSentThrough ? this.climbFromMs : undefined;
    this.climbFromMs = nowMs;
    this.untestedClimbMs = 0;
    this.lastDecreaseMs = nowMs;
    this.probeFromMs = undefined;
    this.backFromMs = undefined;
    this.lossCount += 1;
    this.lastSentThrough = paceSentThrough;
    this.lastLossHeld = held;
    // the rate a short measure (or the floor) set at the last loss, refused on the climb back
    // to it or at it (`refusedAbove`, below)
    const shortRateRefused =
      this.lastMeasuredRate !== undefined &&
      previousRate !== undefined &&
      current <= previousRate * (1 + PLATEAU_TOLERANCE);
    this.lastMeasuredRate = fellShort ? succeededRatePerSecond : undefined;
    // the interval a search may bisect (`searchTarget`): slow start's loss whose measure fell
    // short bounds the limit between what got through (its first cycle counts the ramp and
    // the session's reads: a rate under the limit) and the pace that drew it. Both ends are
    // measured only when that measure is the loss rate: one below the floor share of the pace
    // leaves the floor as the loss rate, a share of the pace the options set, and its
    // interval's middle a fixed share of the pace whatever the limit (that floor, 11.2/s
    // after slow start's 18.6/s, sat at 93% of a 12/s limit, and the search's try above it
    // drew a 429 and its wait in run after run).
    // A later measure above the floor is what the limit let through, and starts no search.
    // The other interval: the rate the last short measure (or the floor) set, refused at or
    // below it with less than the floor share through. That rate is now refused, and its
    // floor is a second step down of 40% on nothing but a cycle the wait diluted, so the
    // limit lies between the two as after slow start; a floor within a few percent of the
    // limit holds and never comes here (docs/ARCHITECTURE.md, "The climb after a loss")
    const belowFloor = (succeededRatePerSecond ?? 0) < current * this.options.lossFloorShare;
    // On a limit without burst the floor is measured too: it gets through by its spacing or is
    // refused by it, and a try refused is the limit by the spacing it rose past
    // (`spacedThroughRate`), not a 429 and a wait that teach nothing
    const firstBottom = !belowFloor || this.withoutBurst;
    const measuredBottom = this.lossCount === 1 ? firstBottom : belowFloor && shortRateRefused;
    // A search's try (or the climb to it) refused with less than its pace through lowers the
    // search's top to that pace, as a try refused with its pace through does: the measure,
    // diluted by every wait since the last loss, says the pace ran above the limit, not that the
    // interval below it is spent. Dropped there, the search left a fixed window of 10 per
    // 0.71 s (14.1/s), slow start refused at 18.7/s with 15/s through and the climb back refused
    // at 14.9/s with 10.75/s through, at 10.75/s for the whole run, where the middles above it
    // hold (not on a limit seen moving: a pace refused before a move bounds nothing)
    const tryRefused =
      fellShort &&
      !measuredBottom &&
      this.refusedAbove !== undefined &&
      this.lossRate < current &&
      this.drift.perSecond === 0;
    this.refusedAbove = tryRefused
      ? Math.min(this.refusedAbove ?? current, current)
      : fellShort
        ? measuredBottom
          ? current
          : undefined
        : this.refusedAbove === undefined
          ? undefined
          : Math.min(this.refusedAbove, current);
    // a loss rate the floor set (the measure fell below the floor share of the pace, and no
    // interval was left to search) is a guess, a share of the pace, not a rate the limit was
    // seen at: the probe above it is priced by the gap up to the pace refused (`climbRate`),
    // not held for the static plateau's `recoveryLossCosts` waits (docs/ARCHITECTURE.md, "The
    // climb after a loss")
    this.floorRefused =
      fellShort &&
      belowFloor &&
      this.refusedAbove === undefined &&
      this.lossRate <= current * this.options.lossFloorShare * (1 + PLATEAU_TOLERANCE)
        ? current
        : undefined;
    return true;
  }

  /**
   * Whether `ratePerSecond` is well below a rate the pace held recently (by more than a loss
   * that fell short): the limit had moved down from there.
   */
  private belowHeldRate(ratePerSecond: number): boolean {
    return ratePerSecond < this.heldRates.highPerSecond * this.options.fellShortShare;
  }

  /**
   * Whether the climb heads back to a rate held before the limit fell, and reaching it would
   * take it back as the loss rate (`advance`): the loss rate is well below it, and no recent
   * loss saw the limit above it (a swinging limit's low).
   */
  private returningToHeldRate(): boolean {
    return (
      this.lossRate !== undefined && this.belowHeldRate(this.lossRate) && !this.seenAboveHeldRate()
    );
  }

  /**
   * Whether the pace reaching a rate held before the limit fell proves the limit back there:
   * it stood above the middle between the loss rate and that rate (above the level the limit
   * fell to) for a limit period. Sooner, it may have ridden a budget the wait renewed (a
   * window's count, a bucket's burst) that carries a pace above the limit for up to a period:
   * the probe's climb reaches the held rate within tenths of a second of passing the middle,
   * and the 429 sent then arrives after it (docs/ARCHITECTURE.md, "A limit that moves").
   */
  private returnProven(nowMs: number): boolean {
    return this.backFromMs !== undefined && nowMs - this.backFromMs >= this.periodMs;
  }

  /** Whether the last few losses saw the limit above every rate held (see `seenAboveHeldRate`). */
  private seenAboveHeldRate(): boolean {
    return seenAboveHeldRate(this.drift.highRatePerSecond, this.heldRates.highPerSecond);
  }

  /**
   * The pace at `nowMs`, as the pacer decides it: moves the climb on (`advanceTo`, which first
   * takes out the untested stretch since the last decision), takes the rate the climb then
   * stands at (climbed once), lets `hold` bring it down to what the limiter keeps (a fitted
   * fixed window, the headers' window), and notes that pace against the same rate (`notePace`).
   * One reading: the pace is built from the rate the untested stretch was judged against, and
   * nothing can move between them.
   */
  paceAt(nowMs: number, hold: (ratePerSecond: number, nowMs: number) => number): number {
    const grown = this.advance(nowMs);
    const ratePerSecond = grown === undefined ? this.rate(nowMs) : this.withinLimits(grown);
    const pace = hold(ratePerSecond, nowMs);
    this.notePace(nowMs, pace, ratePerSecond);
    return pace;
  }

  /**
   * Takes the stretch since the last pace noted out of the climb when the climb ran above that
   * pace then (`notePace`), before the rate is read at `nowMs`.
   */
  private takeOutUntested(nowMs: number): void {
    const last = this.lastPaceNote;
    if (!last?.untested) return;
    const fromMs = Math.max(last.atMs, this.climbFromMs);
    if (nowMs > fromMs) this.untestedClimbMs += nowMs - fromMs;
    this.lastPaceNote = { atMs: Math.max(last.atMs, nowMs), untested: true };
  }

  /**
   * Notes the pace the limiter kept at `nowMs` (`paceAt`): this controller's `ratePerSecond`,
   * or less when a fitted fixed window (`WindowPhase`) or the headers' window held it lower.
   * Time the climb's rate spent above that pace and above every rate the limit was seen at
   * (the loss rate, the last losses' high, a rate held) tested nothing, so the climb does not
   * move on through it (`takeOutUntested`): a moving limit's follow and the search above its
   * high compound per second, and behind a window that held the pace for ten seconds the
   * controller reached 197/s, the pace leaving the hold at the headers' 27/s against a limit of
   * 19.8/s. Up to the rates seen the climb goes on behind a hold: they are where the limit
   * stood, and a limit that returns there is found when the hold ends (docs/ARCHITECTURE.md,
   * "A limit that moves").
   */
  private notePace(nowMs: number, pacePerSecond: number, ratePerSecond: number): void {
    if (this.lossRate === undefined) return;
    const known = Math.max(
      pacePerSecond,
      this.lossRate,
      this.drift.highRatePerSecond,
      this.heldRates.highPerSecond,
    );
    const untested = ratePerSecond > known * (1 + PLATEAU_TOLERANCE);
    this.lastPaceNote = { atMs: nowMs, untested };
  }

  /**
   * The climb since the last wait, for the loss-evidence rules; `renewalMs`: how long the
   * budget that wait renewed can carry a pace above the limit (`renewalCarryMs`).
   */
  private span(renewalMs = 0): ClimbSpan {
    const { climbFromMs, lastWaitMs, periodMs } = this;
    return { climbFromMs, lastWaitMs, periodMs, ...(renewalMs > 0 ? { renewalMs } : {}) };
  }

  /** What the loss-evidence rules remember of the losses before this one. */
  private history(): LossHistory {
    return {
      lossCount: this.lossCount,
      lastSentThrough: this.lastSentThrough,
      lastMeasuredRate: this.lastMeasuredRate,
      driftPerSecond: this.drift.perSecond,
    };
  }

  /** The climb's pace at `nowMs` back to and past `lossRate` (`climbRate`), not clamped. */
  private climbAt(lossRate: number, nowMs: number): number {
    return climbRate(this.climbState(lossRate, nowMs), this.options);
  }

  /** The climb's state at `nowMs` back to `lossRate`, as `climbRate` reads it. */
  private climbState(lossRate: number, nowMs: number): ClimbState {
    return {
      lossRatePerSecond: lossRate,
      sinceMs: Math.max(0, nowMs - this.climbFromMs - this.untestedClimbMs),
      periodMs: this.periodMs,
      lossCostMs: this.lossCostMs,
      lastWaitMs: this.lastWaitMs,
      heldHighPerSecond: this.heldRates.highPerSecond,
      driftPerSecond: this.drift.perSecond,
      seenHighPerSecond: this.drift.highRatePerSecond,
      swinging: this.drift.swinging(),
      swungOverPeriods: this.drift.swungOverPeriods(),
      refusedAbovePerSecond: this.refusedAbove,
      floorRefusedPerSecond: this.floorRefused,
      requestsLeft: this.workLeft(),
    };
  }

  /**
   * The limiter waits on its own until `untilMs` (after a 429): the climb starts when the wait
   * ends, since nothing is learned while nothing is sent. `firstCycle`: slow start's first loss
   * cycle, when this wait follows its 429 (`skipRepeatedCycle`, unless `refuteRenewal`).
   */
  holdFrom(untilMs: number, firstCycle?: FirstCycle): void {
    this.climbFromMs = Math.max(this.climbFromMs, untilMs);
    const requestsMs =
      this.lossRate === undefined ? 0 : (this.options.minLossCostRequests * 1000) / this.lossRate;
    this.lastWaitMs = this.climbFromMs - this.lastDecreaseMs;
    this.lossCostMs = Math.max(requestsMs, this.lastWaitMs);
    if (firstCycle !== undefined) this.skipRepeatedCycle(firstCycle);
    this.restartRate = this.rate(this.climbFromMs);
  }

  /**
   * The first request after a wait was refused before anything got through: the budget the
   * renewal search bounds (`renewal`) had not renewed by then, so its lower bound rose, and the
   * loss rate is no more than the rate of the bounds' new middle (`renewalMiddleRate`): the
   * middle the last loss took is now a pace that budget refuses (docs/ARCHITECTURE.md, "The
   * loss rate: what one 429 says").
   */
  renewalRefused(renewal: RenewalBounds | undefined): void {
    if (this.lossRate === undefined) return;
    this.lossRate = Math.min(this.lossRate, renewalMiddleRate(renewal));
  }

  /**
   * A request sent after the wait got through: the budget had room again, and the repeated
   * cycle's loss taken at the wait (`skipRepeatedCycle`) stands.
   */
  confirmRenewal(): void {
    this.skippedFrom = undefined;
  }

  /**
   * A 429 before anything got through after the wait: the wait's length said the budget
   * renewed, and it had not (a window or log longer than the first cycle, which the period is).
   * The repeated cycle's loss taken at that wait counted a renewal that did not happen, so it
   * is taken back, and the loss stays slow start's, its wait escalating as after any wait
   * proven short. Kept, a sliding counter of 18 per 2.27 s that refused the first request after
   * a 1.1 s wait held the pace at the skipped cycle's 11.8/s, never tried, 50% above its 7.9/s,
   * and each 429 there stepped it down a little (docs/ARCHITECTURE.md, "The loss rate: what one
   * 429 says").
   */
  refuteRenewal(): void {
    const from = this.skippedFrom;
    this.skippedFrom = undefined;
    if (from === undefined) return;
    this.lossRate = from.lossRate;
    this.lastMeasuredRate = undefined;
    this.lossCount -= 1;
    this.plateauLosses = from.plateauLosses;
  }

  /**
   * After slow start's first loss, whose rate is the pace (no measure fell short), a wait of a
   * limit period or more renewed the whole budget the first cycle spent: restarting near the
   * pace repeats that cycle to the same 429 (`repeatedCycleRate`), which costs the wait again
   * and teaches only its measure. So the controller takes that loss now, as if it had come: the
   * loss rate is the measure less half the restart's dip (at the limit or a shade above it, as a
   * pace that got through), the measure is remembered as a cycle's that fell short, and the
   * rate, never tried, is refused once at most: a loss at it after a whole climb steps down as
   * a repeated plateau loss does (`plateauLosses`); one sooner is any climb loss's (`onThrottle`). A Retry-After of 45 s made that second 429 cost 12% of a run, and every such run
   * paid it. Unless the first request after the wait is refused: the budget had not renewed,
   * and `refuteRenewal` takes the loss back (docs/ARCHITECTURE.md, "The loss rate: what one
   * 429 says").
   */
  private skipRepeatedCycle(cycle: FirstCycle): void {
    if (this.lossCount !== 1 || this.lossRate === undefined) return;
    if (this.lastMeasuredRate !== undefined || this.lastWaitMs < this.periodMs) return;
    const measured = repeatedCycleRate(cycle, this.periodMs);
    const rate = measured * (1 - (1 - this.options.decreaseFactor) / 2);
    if (!(rate < this.lossRate)) return;
    this.skippedFrom = { lossRate: this.lossRate, plateauLosses: this.plateauLosses };
    this.lossRate = rate;
    this.lastMeasuredRate = measured;
    // the loss it stands for counts: the next one is not slow start's second (`sentThrough`)
    this.lossCount += 1;
    this.plateauLosses = 1;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
