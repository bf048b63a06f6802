import { LimitDrift } from './limit-drift';
import {
  defaultRateControllerOptions,
  type RateControllerOptions,
} from './rate-controller-options';

export {
  defaultRateControllerOptions,
  type RateControllerOptions,
} from './rate-controller-options';

/**
 * Learns the rate of a limit the headers do not describe (docs/ARCHITECTURE.md, "Throttle": a
 * 429 while `count < allowed` means a hidden layer binds), CUBIC-style. A 429 sets the loss
 * rate to what actually got through (never more than the pace that drew it) and restarts the
 * pace a little below it; from the end of the wait the pace climbs back along a cubic: fast
 * (concave) at first, flat around the loss rate, where it spends most of its time, then
 * faster and faster above it (convex), which is the probe that finds a limit that rose or a
 * background consumer that went quiet. A limit that fell shows as a 429 below the old loss rate
 * and becomes the new loss rate; a rate held before is remembered and re-probed sooner, and a
 * limit seen moving (`LimitDrift`) is probed as often as its speed makes worth a 429's wait.
 * Probes are spaced by what a 429 costs (the wait it causes, `holdFrom`). Every other time
 * constant is a multiple of the limit period, measured by `setPeriod`, so one tuning fits a
 * 1-second window and a 2-minute one. Several 429s of one burst count once.
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
  /**
   * The last few loss rates the pace held for a whole climb (a ring): a loss well below one
   * says the limit moved, and may move back.
   */
  private readonly provenRates = [0, 0, 0, 0];
  private provenCount = 0;
  /** Losses at the plateau in a row: the second and later step the loss rate down. */
  private plateauLosses = 0;
  /** When this climb's pace first rose above the loss rate (a probe began), clock ms. */
  private probeFromMs: number | undefined;
  private readonly drift = new LimitDrift();
  /** Whether the last loss took the pace for its rate over a measure that fell short (`sentThrough`). */
  private lastSentThrough = false;
  /**
   * What got through over the last loss's cycle when it fell short of the pace: a rate the
   * limit admitted over a whole cycle, wait and all (the loss rate may be the floor above it).
   */
  private lastMeasuredRate: number | undefined;

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
    return this.recentHighRate() * this.options.fellShortShare;
  }

  /** What a loss counts as costing at least, in requests' time (a refused probe's price). */
  get minLossCostRequests(): number {
    return this.options.minLossCostRequests;
  }

  /** The time constant everything is scaled by, milliseconds. */
  get limitPeriodMs(): number {
    return this.periodMs;
  }

  /** Sets the measured limit period (see `LimitPeriod`), milliseconds. */
  setPeriod(periodMs: number): void {
    if (periodMs > 0 && Number.isFinite(periodMs)) this.periodMs = periodMs;
  }

  /**
   * The pacing rate at `nowMs`, requests per second. A reading changes state twice only: it
   * notes when the climb first rose above the loss rate (a probe began, for `onThrottle`), and a
   * climb that reaches a rate held before the limit fell takes it back as the loss rate.
   */
  rate(nowMs: number): number {
    const { minRatePerSecond, maxRatePerSecond, decreaseFactor, recoveryPeriods } = this.options;
    if (this.lossRate === undefined) {
      const periods = Math.max(0, nowMs - this.slowStartFromMs) / this.periodMs;
      const grown = this.slowStartRate * (1 + this.options.slowStartGrowthPerPeriod) ** periods;
      return clamp(grown, minRatePerSecond, maxRatePerSecond);
    }
    // W(t) = Wmax (1 + (1 − β) ((t − K) / K)³): β Wmax at t = 0, flat at Wmax around t = K
    // the climb back takes `recoveryPeriods` limit periods and at least `recoveryRequests`
    // requests (the cycle of one probe loss then spans enough requests to keep 429s rare)
    // A limit seen moving (`LimitDrift`) is probed as often as the expected cost says: a probe
    // every H costs C / H of the time (C: one loss's wait), and a limit moving at d per second
    // leaves on average d H / 2 unused between probes; the sum is least at H = √(2C / d). The
    // climb back is no longer than that either: a limit that halved and comes back is found
    // one H after the wait, not after the static limit's periods of near-flat climbing.
    const drift = this.drift.perSecond;
    const movingHoldMs =
      drift > 0 ? Math.sqrt((2 * this.lastWaitMs) / 1000 / drift) * 1000 : Infinity;
    const recoveryMs = Math.min(
      this.recoveryMs(this.lossRate),
      movingHoldMs > 0 ? movingHoldMs : Infinity,
    );
    // The pace then holds at the loss rate until `recoveryLossCosts` times the last loss's wait
    // has passed since it: a probe past the limit costs a wait of Retry-After at least, so
    // probes are spaced for those waits to stay a small share of the time. A limit that moved
    // (a loss well below a rate held earlier: another tool started, a background consumer
    // swung up) may move back: the gain a probe can find is then that gap, not the cubic's
    // few percent, so the hold shrinks by as much and the probe climbs to the earlier rate
    // within `recoveryPeriods` periods.
    const probeGain = 1 - decreaseFactor;
    const gain = Math.max(probeGain, this.recentHighRate() / this.lossRate - 1);
    // a moving limit's hold is H at most (above)
    const holdMs = Math.max(
      0,
      Math.min(
        (this.options.recoveryLossCosts * this.lossCostMs * probeGain) / gain,
        movingHoldMs,
      ) - recoveryMs,
    );
    const sinceMs = Math.max(0, nowMs - this.climbFromMs);
    const climbedMs = sinceMs < recoveryMs ? sinceMs : Math.max(recoveryMs, sinceMs - holdMs);
    const periods = (climbedMs / recoveryMs) * recoveryPeriods;
    const x = Math.min(1, (periods - recoveryPeriods) / recoveryPeriods);
    const cubic = this.lossRate * (1 + (1 - decreaseFactor) * x ** 3);
    // past the probe's top the loss rate is clearly stale (the limit rose, a background consumer
    // went quiet): search upwards as fast as slow start does
    const beyond = Math.max(0, periods - 2 * recoveryPeriods);
    const growth = Math.max(
      this.options.probeGrowthPerPeriod,
      (1 + gain) ** (1 / recoveryPeriods) - 1,
    );
    let grown = cubic * (1 + growth) ** beyond;
    // A limit seen moving is followed as fast as it was seen to move, back up to the highest
    // rate the last few losses saw (where it last stood), and the search above that rises no
    // faster than that speed: on a moving limit's short climb the cubic's search compounds
    // `growth` per climb-period, half again per second or more, and overshoots a limit that
    // stopped into a 429 whose diluted measure sets the pace below it again. A limit whose
    // last loss is its highest (it was rising) keeps both (docs/ARCHITECTURE.md, "The throttle").
    const followedMs = climbedMs - recoveryMs;
    if (drift > 0 && followedMs > 0) {
      const tracked = this.lossRate * Math.exp((drift * followedMs) / 1000);
      const lastHigh = this.drift.highRatePerSecond;
      const high =
        lastHigh > this.lossRate * (1 + PLATEAU_TOLERANCE) ? lastHigh : Number.POSITIVE_INFINITY;
      grown = Math.max(cubic, Math.min(tracked, high), Math.min(grown, Math.max(high, tracked)));
    }
    if (grown > this.lossRate * (1 + PLATEAU_TOLERANCE)) this.probeFromMs ??= nowMs;
    // The probe back toward a rate held before the limit fell reached it without a 429: the
    // limit is back (the other tool stopped, the background consumer went quiet), so that rate
    // is the loss rate again. The pace restarts its climb a little below it, as after a loss,
    // and holds there as at a static limit: going on at the moving limit's speed would only
    // overshoot into a 429 whose diluted measure sets the loss rate below the limit again.
    // Unless the last losses saw the limit above that rate: it is then a swinging limit's low
    // (`seenAboveHeldRate`), and the pace goes on following it.
    const high = this.recentHighRate();
    if (this.belowHeldRate(this.lossRate) && grown >= high && !this.seenAboveHeldRate()) {
      this.lossRate = high;
      this.climbFromMs = nowMs;
      this.probeFromMs = undefined;
      this.drift.reset();
      return this.rate(nowMs);
    }
    return clamp(grown, minRatePerSecond, maxRatePerSecond);
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
   * last decrease); `succeededRatePerSecond` is what actually got through recently, if measured.
   * `deliveredSince(fromMs)` is what got through from `fromMs` to now, per second (a probe's
   * measure). Returns whether the rate was decreased.
   */
  onThrottle(
    nowMs: number,
    sentAtMs: number,
    succeededRatePerSecond?: number,
    pacedRatePerSecond?: number,
    deliveredSince?: (fromMs: number) => number | undefined,
  ): boolean {
    if (sentAtMs < this.lastDecreaseMs) return false;
    const measured = succeededRatePerSecond !== undefined && succeededRatePerSecond > 0;
    // the pace actually kept (a header-described window can hold it below this controller's),
    // and never below what got through: what got through was sent at least that fast. The
    // window's pace of the moment falls to a request or two per second as a nearly spent
    // window ends; taken for the pace that drew the loss it would be learned as the limit
    const kept = Math.max(pacedRatePerSecond ?? Infinity, measured ? succeededRatePerSecond : 0);
    const current = Math.min(this.rate(nowMs), kept);
    // a pace just above the limit got (almost) all through: the pace is the loss point; a pace
    // far above it (slow start, a limit that fell) got through only what the limit allows. A
    // cycle's measure counts part of the wait that began it: after a short wait, a pace kept
    // long enough since it to prove it got through (`sentThrough`) is the better evidence
    const short = measured && succeededRatePerSecond < current * this.options.fellShortShare;
    const sentThrough = short && this.sentThrough(nowMs, current, deliveredSince);
    const fellShort = short && !sentThrough;
    const previousRate = this.lossRate;
    const seenAbove = this.seenAboveHeldRate();
    // one loss lowers the pace by a bounded step (a measure spoiled by long waits cannot
    // floor it); a limit that fell further is followed over the next losses
    // (a pace that got through then met a 429 sits at the limit or a shade above it: half the
    // restart's dip below it, as a repeated plateau loss steps, so the climb back does not
    // return to the same 429)
    this.lossRate = fellShort
      ? Math.max(succeededRatePerSecond, current * this.options.lossFloorShare)
      : sentThrough
        ? current * (1 - (1 - this.options.decreaseFactor) / 2)
        : current;
    // the previous loss rate is proven when the pace stood at it for a whole climb
    const held =
      previousRate !== undefined && nowMs - this.climbFromMs >= this.recoveryMs(previousRate);
    // a probe's loss (the pace held the previous loss rate, then rose past it) proves the limit
    // is below the probe, not below the rate that held: what got through is measured over a
    // cycle the wait dilutes, weaker evidence than a rate held for a whole climb, so a failed
    // probe costs its wait and never a lower pace after it. What got through since the pace
    // rose above that rate is not diluted: it sets the loss rate within the gap it found
    // (`probedRate`), in place of the pace that drew the 429, which overshot the limit
    if (held && previousRate !== undefined && current >= previousRate) {
      this.lossRate = Math.max(this.lossRate, previousRate);
      const probed =
        this.probeFromMs === undefined ? undefined : deliveredSince?.(this.probeFromMs);
      if (probed !== undefined) {
        const middle = this.probedRate(previousRate, current, probed);
        this.lossRate = seenAbove
          ? this.movingProbeRate(middle, nowMs, current, probed, deliveredSince)
          : middle;
      }
    }
    // a loss at the plateau (the pace held the loss rate for a whole climb and tried nothing
    // above it) steps down only when it repeats (see `plateauRate`)
    const atPlateau =
      held && previousRate !== undefined && current <= previousRate * (1 + PLATEAU_TOLERANCE);
    if (atPlateau) this.lossRate = this.plateauRate(Math.min(current, previousRate));
    else this.plateauLosses = 0;
    // the first loss ends slow start: its rate is the pace, not a measure of the limit
    if (this.lossCount > 0) {
      // A wait under `cheapWaitPeriods` limit periods makes a probe cheap: a fall after one
      // counts as movement even when the pace did not keep the previous rate long enough to
      // prove it (slow start's convergence looks the same), since probing a limit that stood
      // still then costs little, and missing a background consumer that swung back costs the
      // gap for as long as the static hold (docs/ARCHITECTURE.md, "The throttle")
      const cheapWait = this.lastWaitMs < this.options.cheapWaitPeriods * this.periodMs;
      const sustained =
        cheapWait || (previousRate !== undefined && this.sustained(nowMs, previousRate));
      // a pace that got through is as much a measure of the limit as what got through
      this.drift.onLoss(nowMs, this.lossRate, held, fellShort || sentThrough, sustained);
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
    if (held && previousRate !== undefined) {
      this.provenRates[this.provenCount % this.provenRates.length] = previousRate;
      this.provenCount += 1;
    }
    this.climbFromMs = nowMs;
    this.lastDecreaseMs = nowMs;
    this.probeFromMs = undefined;
    this.lossCount += 1;
    this.lastSentThrough = sentThrough;
    this.lastMeasuredRate = fellShort ? succeededRatePerSecond : undefined;
    return true;
  }

  /**
   * The loss rate after a probe that rose from the `held` rate to a 429 at `paced`, while
   * `probed` per second got through from the moment it rose (no wait dilutes that measure).
   * The limit lies between the rate that held and what the probe got through, which reads
   * high by whatever burst the limit still had (a bucket's, a fresh window's): the loss rate
   * takes their geometric middle, so each failed probe halves the gap to a limit above the
   * hold, and a probe that got no more through than the held rate keeps it
   * (docs/ARCHITECTURE.md, "The throttle").
   */
  private probedRate(held: number, paced: number, probed: number): number {
    return Math.max(held, Math.sqrt(held * Math.min(paced, probed)));
  }

  /**
   * The loss rate after a probe's loss (`middle`: what `probedRate` found) on a swinging limit
   * (the last losses saw it above every rate held, `seenAboveHeldRate`) that moves by more
   * than a loss that falls short per limit period, when the probe got through less than the
   * highest rate the last losses saw: the pace was following the limit back up from a low, not
   * probing one that stood still. The probe's measure then averages a ramp from the rate held
   * at the low, and its middle with that rate reads lower still (a swinging background
   * consumer's budget at 16/s restarted the pace at 7/s); what got through over the last limit
   * period says where the limit is now, and the loss rate takes it, up to that highest rate
   * and the pace. A probe that got through more than that highest rate rode a renewed burst (a
   * token bucket refilled while the limit stood low): the middle rules (docs/ARCHITECTURE.md,
   * "The throttle").
   */
  private movingProbeRate(
    middle: number,
    nowMs: number,
    paced: number,
    probed: number,
    deliveredSince: ((fromMs: number) => number | undefined) | undefined,
  ): number {
    const high = this.drift.highRatePerSecond;
    const movedPerPeriod = (this.drift.perSecond * this.periodMs) / 1000;
    if (movedPerPeriod <= 1 - this.options.fellShortShare || !(high > probed)) return middle;
    const recent = deliveredSince?.(nowMs - this.periodMs);
    return recent === undefined ? middle : Math.max(middle, Math.min(paced, recent, high));
  }

  /**
   * The loss rate after a loss at the `plateau` rate. One such loss after a whole hold is what
   * a limit right at the pace draws from a late timer or a bunched burst: the rate stays (its
   * measure, diluted by the wait, says nothing). Another one at the plateau in a row proves
   * the pace runs above the limit, by no more than the restart's dip as a rule (it held a
   * whole climb back from there): the rate steps down by half that dip, and each further one
   * doubles the step, as a real decrease compounds, up to what `lossFloorShare` allows per
   * loss. A loss while the pace climbs back, or a probe's, ends the run (docs/ARCHITECTURE.md,
   * "The throttle").
   */
  private plateauRate(plateau: number): number {
    const { decreaseFactor, lossFloorShare } = this.options;
    const losses = this.plateauLosses;
    this.plateauLosses += 1;
    if (losses === 0) return plateau;
    const step = Math.min(1 - lossFloorShare, ((1 - decreaseFactor) / 2) * 2 ** (losses - 1));
    return plateau * (1 - step);
  }

  /**
   * Whether `ratePerSecond` is well below a rate the pace held recently (by more than a loss
   * that fell short): the limit had moved down from there.
   */
  private belowHeldRate(ratePerSecond: number): boolean {
    return ratePerSecond < this.recentHighRate() * this.options.fellShortShare;
  }

  /**
   * Whether the last few losses saw the limit above every rate the pace held for a whole climb:
   * the held rates are then a swinging limit's lows (a pace keeps a rate for a whole climb only
   * where the limit stays long enough), not where a limit that fell stood before it.
   */
  private seenAboveHeldRate(): boolean {
    return this.drift.highRatePerSecond > this.recentHighRate() * (1 + PLATEAU_TOLERANCE);
  }

  /** The highest of the last few proven rates (held for a whole climb), per second; 0 if none. */
  private recentHighRate(): number {
    let high = 0;
    for (const rate of this.provenRates) high = Math.max(high, rate);
    return high;
  }

  /**
   * Whether the pace kept `previousRate` without a 429 from the end of the last wait to `nowMs`
   * for long enough to prove the limit admitted it (`LimitDrift`): a limit period, a climb's
   * requests, and as long as that wait, which renewed a budget that carries a faster pace for a
   * while (a window opened fresh, a bucket refilled). `withinPeriod`: the period is not asked
   * (the rate is one a whole cycle measured as admitted, see `sentThrough`).
   */
  private sustained(nowMs: number, previousRate: number, withinPeriod = false): boolean {
    const keptMs = nowMs - this.climbFromMs;
    return (
      (withinPeriod || keptMs >= this.periodMs) &&
      keptMs >= this.lastWaitMs &&
      (keptMs / 1000) * previousRate >= this.options.recoveryRequests
    );
  }

  /**
   * Whether the pace got through since the last wait ended, so that the cycle's measure, which
   * counts part of that wait, reads low by the wait and not by the limit: the pace was kept for
   * as long as `sustained` asks (a limit period, a climb's requests, as long as the wait: longer
   * than a budget the wait renewed carries a pace above the limit; the period is not asked of a
   * pace no faster than the last cycle's measure) and what got through over that time alone
   * came to the pace, less what a loss that falls short allows. Not after slow start's loss (its
   * rate is a pace, no measure, and the budget it renewed is a whole one), and not twice in a
   * row: a pace taken back that draws the same 429 again is above the limit, and the measure
   * then rules. Nor while the limit is seen moving (below) (docs/ARCHITECTURE.md, "The throttle").
   */
  private sentThrough(
    nowMs: number,
    pace: number,
    deliveredSince: ((fromMs: number) => number | undefined) | undefined,
  ): boolean {
    // a limit seen moving: what got through since the wait says where it stood, and the drift
    // already follows it; taken as the loss point, a pace a bucket's burst (refilled by the wait)
    // carried above a limit that stands still again becomes a plateau that draws a 429 a cycle
    if (this.lossCount < 2 || this.lastSentThrough || this.drift.perSecond > 0) return false;
    // a pace no faster than what the limit admitted over the last whole cycle needs no period
    // to prove it: a renewed budget's burst is what the period rules out, and that cycle's
    // measure spans a renewal already
    const measured = this.lastMeasuredRate;
    const belowMeasured = measured !== undefined && pace <= measured * (1 + PLATEAU_TOLERANCE);
    if (!this.sustained(nowMs, pace, belowMeasured)) return false;
    const sent = deliveredSince?.(this.climbFromMs);
    return sent !== undefined && sent >= pace * this.options.fellShortShare;
  }

  /** How long the climb back to `lossRate` takes, ms. */
  private recoveryMs(lossRate: number): number {
    return Math.max(
      this.options.recoveryPeriods * this.periodMs,
      (this.options.recoveryRequests * 1000) / lossRate,
    );
  }

  /**
   * The limiter waits on its own until `untilMs` (after a 429): the climb starts when the wait
   * ends, since nothing is learned while nothing is sent.
   */
  holdFrom(untilMs: number): void {
    this.climbFromMs = Math.max(this.climbFromMs, untilMs);
    const requestsMs =
      this.lossRate === undefined ? 0 : (this.options.minLossCostRequests * 1000) / this.lossRate;
    this.lastWaitMs = this.climbFromMs - this.lastDecreaseMs;
    this.lossCostMs = Math.max(requestsMs, this.lastWaitMs);
  }
}

/** A pace within this share above the loss rate is still at the plateau (no probe yet). */
const PLATEAU_TOLERANCE = 1e-3;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
