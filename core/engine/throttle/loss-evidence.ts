import type { RateControllerOptions } from './rate-controller-options';

/**
 * What one hidden-layer loss tells about the limit (docs/ARCHITECTURE.md, "The throttle"): the
 * rules `RateController.onThrottle` weighs a 429 by, each taking the controller's state as
 * arguments so it can be read and tested on its own.
 */

/** A pace within this share above the loss rate is still at the plateau (no probe yet). */
export const PLATEAU_TOLERANCE = 1e-3;

/** What got through from `fromMs` to now, per second (a probe's measure; undefined: nothing). */
export type DeliveredSince = (fromMs: number) => number | undefined;

/** The climb since the last loss's wait, as the rules read it. */
export interface ClimbSpan {
  /** When the climb began (the end of the last loss's wait), clock ms. */
  climbFromMs: number;
  /** How long the last loss's org-wide wait lasted, ms (what renewed the budget after it). */
  lastWaitMs: number;
  /** The limit period, ms. */
  periodMs: number;
  /**
   * How long a budget the last wait renewed can carry a pace above the limit, ms, when the
   * renewal search bounds it (`renewalCarryMs`; undefined: not known).
   */
  renewalMs?: number;
}

/** A hidden budget's count and when it renews, from a cycle's beginning (`RenewalSearch`). */
export interface RenewalBounds {
  budget: number;
  /** The budget had not renewed this long after its cycle began, ms. */
  lowerMs: number;
  /** The budget had renewed by this long after its cycle began, ms (Infinity: not proven). */
  upperMs: number;
}

/**
 * How long a budget a wait renewed in full can carry a pace above the limit, ms: up to its
 * renewal, which takes longer than the lower bound and no longer than the upper one (when
 * proven). A pace kept for less got through on the renewed budget, whatever the limit
 * (docs/ARCHITECTURE.md, "The loss rate: what one 429 says").
 */
export function renewalCarryMs(renewal: RenewalBounds | undefined): number {
  if (renewal === undefined) return 0;
  return Number.isFinite(renewal.upperMs) ? renewal.upperMs : renewal.lowerMs;
}

/**
 * The rate a budget of `budget` renewed within the upper bound proves admitted, per second (0:
 * no upper bound): a window or log that renews its count in no more than that admits at least
 * that count over it.
 */
export function renewedRate(renewal: RenewalBounds): number {
  return Number.isFinite(renewal.upperMs) ? (renewal.budget * 1000) / renewal.upperMs : 0;
}

/**
 * The rate of the renewal search's next try, per second (Infinity: no search): the count over
 * the geometric middle of the bounds (`RenewalSearch.renewedByMs` ends the next wait there). A
 * fixed window or a log that spends its count and renews between the bounds admits between the
 * count over the upper bound and the count over the lower one; a cycle's measure above the
 * middle is the count over a cycle the wait and a fast restart cut short (slow start's pace
 * spends a 24 per 2.9 s window in 1.3 s: 12/s measured, 50% above it), and each probe of the
 * renewal halves what is left of the interval, so the pace that search's next probe proves
 * admitted (or refuses) is the middle's (docs/ARCHITECTURE.md, "The loss rate: what one 429 says").
 */
export function renewalMiddleRate(renewal: RenewalBounds | undefined): number {
  if (renewal === undefined || !(renewal.lowerMs > 0) || !Number.isFinite(renewal.upperMs))
    return Infinity;
  return (renewal.budget * 1000) / Math.sqrt(renewal.lowerMs * renewal.upperMs);
}

/** What the controller remembers of the losses before this one. */
export interface LossHistory {
  /** Distinct losses so far (the first ends slow start). */
  lossCount: number;
  /** Whether the last loss took the pace for its rate (`sentThrough`). */
  lastSentThrough: boolean;
  /**
   * What got through over the last loss's cycle when it fell short of the pace: a rate the
   * limit admitted over a whole cycle, wait and all (the loss rate may be the floor above it).
   */
  lastMeasuredRate: number | undefined;
  /** How fast the limit is seen moving, natural-log units per second (`LimitDrift.perSecond`). */
  driftPerSecond: number;
}

/**
 * Whether the pace kept `ratePerSecond` without a 429 from the end of the last wait to `nowMs`
 * for long enough to prove the limit admitted it (`LimitDrift`): a limit period, a climb's
 * requests, and as long as that wait, which renewed a budget that carries a faster pace for a
 * while (a window opened fresh, a bucket refilled). `withinPeriod`: the period is not asked
 * (the rate is one a whole cycle measured as admitted, see `sentThrough`).
 */
export function sustained(
  span: ClimbSpan,
  nowMs: number,
  ratePerSecond: number,
  recoveryRequests: number,
  withinPeriod = false,
): boolean {
  const keptMs = nowMs - span.climbFromMs;
  return (
    (withinPeriod || keptMs >= span.periodMs) &&
    keptMs >= span.lastWaitMs &&
    keptMs >= (span.renewalMs ?? 0) &&
    (keptMs / 1000) * ratePerSecond >= recoveryRequests
  );
}

/**
 * Whether a fall to this loss's rate counts as the limit moving (`LimitDrift`'s
 * `previousSustained`): the pace kept `previousRate` long enough to prove it (`sustained`), or
 * the last wait was under `cheapWaitPeriods` limit periods. Such a wait makes a probe cheap: a
 * fall after one counts as movement even when the pace did not keep the previous rate long
 * enough to prove it (slow start's convergence looks the same), since probing a limit that
 * stood still then costs little, and missing a background consumer that swung back costs the
 * gap for as long as the static hold (docs/ARCHITECTURE.md, "The throttle").
 */
export function fallIsMovement(
  span: ClimbSpan,
  nowMs: number,
  previousRate: number | undefined,
  options: Pick<RateControllerOptions, 'cheapWaitPeriods' | 'recoveryRequests'>,
): boolean {
  const cheapWait = span.lastWaitMs < options.cheapWaitPeriods * span.periodMs;
  return (
    cheapWait ||
    (previousRate !== undefined && sustained(span, nowMs, previousRate, options.recoveryRequests))
  );
}

/** A loss cycle from its wait's end: what it admitted before its 429, and that wait (ms). */
export interface AdmittedCycle {
  admitted: number;
  waitMs: number;
  /** The pace it restarted at, per second: its slowest, the climb rising from there. */
  restartPerSecond: number;
}

/**
 * Whether this loss's cycle (from its wait's end) admitted so much less than the last one that
 * the limit's budget shrank, a move (`LimitDrift`'s `previousSustained`): fewer than a
 * fell-short share of what the last cycle admitted, after a wait at least as long as the one
 * before it or a limit period (the first cycle's length, a whole budget's renewal), at a pace
 * (`paced`, the highest of the climb) no faster than the last cycle's slowest. A budget renewed
 * as fully and drained no faster lets as many through (a window's count, a bucket's refill,
 * a log's expiries), so fewer says the limit fell (another tool, a background consumer took
 * its share). Neither the wait's length nor a rate kept proves that: after waits that the
 * short Retry-After escalated to a 2 s window, a halved limit was read as slow start's
 * convergence and held as a static one for 20 waits, 40 s past its return
 * (docs/ARCHITECTURE.md, "A limit that moves").
 */
export function budgetShrank(
  cycle: { admitted: number; waitMs: number } | undefined,
  paced: number,
  last: AdmittedCycle | undefined,
  periodMs: number,
  options: Pick<RateControllerOptions, 'fellShortShare'>,
): boolean {
  if (cycle === undefined || last === undefined) return false;
  return (
    paced <= last.restartPerSecond &&
    cycle.waitMs >= Math.min(last.waitMs, periodMs) &&
    cycle.admitted < last.admitted * options.fellShortShare
  );
}

/** Slow start's first loss cycle: from its first success to the 429 that ended it (ms), and its successes. */
export interface FirstCycle {
  durationMs: number;
  successes: number;
}

/**
 * What the next cycle would measure when slow start's first loss was followed by a wait of a
 * limit period or more (the period is that first cycle's length, so the wait renewed the whole
 * budget it spent): the pace restarts about where it was refused, from the same fresh budget,
 * so that cycle repeats the first to its 429, and its measure is the first's successes over
 * its length and half a period of the wait (the mean time a budget found spent takes to
 * renew, as `SuccessRateMeter.sinceLoss` counts a wait). Read now, it saves the repeated 429 and
 * its wait, which teaches nothing else: after a Retry-After of 45 s that wait was 12% of a run
 * (docs/ARCHITECTURE.md, "The loss rate: what one 429 says").
 */
export function repeatedCycleRate(cycle: FirstCycle, periodMs: number): number {
  return cycle.successes / ((cycle.durationMs + 0.5 * periodMs) / 1000);
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
export function sentThrough(
  span: ClimbSpan,
  history: LossHistory,
  nowMs: number,
  pace: number,
  deliveredSince: DeliveredSince | undefined,
  options: Pick<RateControllerOptions, 'recoveryRequests' | 'fellShortShare'>,
): boolean {
  // a limit seen moving: what got through since the wait says where it stood, and the drift
  // already follows it; taken as the loss point, a pace a bucket's burst (refilled by the wait)
  // carried above a limit that stands still again becomes a plateau that draws a 429 a cycle
  if (history.lossCount < 2 || history.lastSentThrough || history.driftPerSecond > 0) return false;
  // a pace no faster than what the limit admitted over the last whole cycle needs no period
  // to prove it: a renewed budget's burst is what the period rules out, and that cycle's
  // measure spans a renewal already
  const measured = history.lastMeasuredRate;
  const belowMeasured = measured !== undefined && pace <= measured * (1 + PLATEAU_TOLERANCE);
  if (!sustained(span, nowMs, pace, options.recoveryRequests, belowMeasured)) return false;
  const sent = deliveredSince?.(span.climbFromMs);
  return sent !== undefined && sent >= pace * options.fellShortShare;
}

/**
 * What a limit without burst (slow start's first cycle admitted one request from a fresh budget:
 * a GCRA, a bucket of one) proved it admits at a 429, per second, or undefined when the pace did
 * not get through. Such a limit renews one request per spacing, and a wait renews one request,
 * not a budget that carries a faster pace for a while: every success after the wait's first was
 * admitted at its spacing from the one before. So when the last ten requests (the span a probe's
 * measure takes, `deliveredSince(nowMs)`) all came after the wait and got through at about the
 * pace, the limit admits the spacing of the last two successes (`spacedPerSecond`; what the ten
 * got through when unknown), and the 429 that the next closer spacing drew puts it below the
 * pace. The loss rate is then that rate (no more than the pace less half the restart's dip),
 * after slow start too and twice in a row, where `sentThrough` asks a period, a climb and the
 * wait's length against a renewed burst this limit does not have; the probe's geometric middle
 * with the rate held, which assumes such a burst, left the pace a third of the way from a
 * 13.8/s limit to the 11.2/s held (docs/ARCHITECTURE.md, "The loss rate: what one 429 says").
 */
export function spacedThroughRate(
  span: ClimbSpan,
  nowMs: number,
  sent: {
    pace: number;
    spacedPerSecond: number | undefined;
    admitted?: number | undefined;
    lastSentThrough?: boolean;
  },
  deliveredSince: DeliveredSince | undefined,
  options: Pick<RateControllerOptions, 'fellShortShare'>,
): number | undefined {
  const { pace, spacedPerSecond, admitted, lastSentThrough } = sent;
  // the last ten requests' span reaches back into the wait when fewer came after it, and the
  // wait (nothing sent) makes that measure short of the pace
  if (nowMs <= span.climbFromMs) return undefined;
  const through = deliveredSince?.(nowMs);
  if (through !== undefined && through >= pace * options.fellShortShare)
    return spacedPerSecond ?? through;
  // fewer than ten since the wait, after a loss whose pace got through: those past what the
  // wait saved up at the pace were each admitted at its spacing too, and when they got through
  // at about the pace, two of them prove it. The ten's measure spans the wait and reads a pace
  // that got through as one that fell short (a GCRA of 12/s held at 9.7/s for 9 s)
  if (!lastSentThrough || spacedPerSecond === undefined || admitted === undefined) return undefined;
  if (admitted - (span.lastWaitMs / 1000) * pace < 2) return undefined;
  const sinceWait = admitted / ((nowMs - span.climbFromMs) / 1000);
  return sinceWait >= pace * options.fellShortShare ? spacedPerSecond : undefined;
}

/**
 * The loss rate one loss's cycle sets, before the probe's and the plateau's rules: what got
 * through when it fell short of the pace (`fellShortMeasure`), by a bounded step (a measure
 * spoiled by long waits cannot floor it; a limit that fell further is followed over the next
 * losses); a pace that got through since the wait (`sentThrough`) less half the restart's dip,
 * since it sits at the limit or a shade above it and the climb back should not return to the
 * same 429; otherwise the pace that drew it (`current`).
 */
export function cycleLossRate(
  current: number,
  fellShortMeasure: number | undefined,
  paceSentThrough: boolean,
  options: Pick<RateControllerOptions, 'lossFloorShare' | 'decreaseFactor'>,
): number {
  if (fellShortMeasure !== undefined) {
    return Math.max(fellShortMeasure, current * options.lossFloorShare);
  }
  return paceSentThrough ? current * (1 - (1 - options.decreaseFactor) / 2) : current;
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
export function probedRate(held: number, paced: number, probed: number): number {
  return Math.max(held, Math.sqrt(held * Math.min(paced, probed)));
}

/** A limit seen moving, as `movingProbeRate` reads it (from `LimitDrift`). */
export interface MovingLimit {
  /** Its speed, natural-log units per second. */
  driftPerSecond: number;
  /** The highest rate the last few losses saw, per second (where it last stood). */
  highRatePerSecond: number;
  /** Its swing turned twice between legs beyond its measures' noise (`LimitDrift.swungOverPeriods`). */
  swungOverPeriods?: boolean;
}

/**
 * The loss rate after a loss of the follow on a swing proven over periods
 * (`LimitDrift.swungOverPeriods`) past the highest rate the last losses saw, whose cycle let
 * less than a fell-short share of the pace through (`cycleRate`, its measure). The follow climbs
 * from the swing's low at once (no hold), so that measure averages the whole ramp from the low,
 * and the pace had passed every rate the last losses saw: it met the swing's top, and what got
 * through over the last limit period says where the top stood. The loss rate takes it, up to the
 * pace, never below the measure: the same reading `movingProbeRate` gives a probe that met the
 * top after a hold. Taken from the measure, a follow that met the top at 18/s (a background
 * consumer's swing, 6-18/s) restarted at 11.5/s, the ramp's average, and sat there while the
 * budget stood at its top (docs/ARCHITECTURE.md, "A limit that moves").
 */
export function swingTopLossRate(
  cycleRate: number,
  limit: Pick<MovingLimit, 'highRatePerSecond' | 'swungOverPeriods'>,
  loss: { nowMs: number; paced: number; periodMs: number },
  deliveredSince: DeliveredSince | undefined,
): number {
  const passedHigh = loss.paced > limit.highRatePerSecond * (1 + PLATEAU_TOLERANCE);
  if (limit.swungOverPeriods !== true || !passedHigh) return cycleRate;
  const recent = deliveredSince?.(loss.nowMs - loss.periodMs);
  return recent === undefined ? cycleRate : Math.max(cycleRate, Math.min(loss.paced, recent));
}

/**
 * The loss rate after a probe's loss (`middle`: what `probedRate` found) on a swinging limit
 * (the last losses saw it above every rate held, `seenAboveHeldRate`) that moves by more
 * than a loss that falls short per limit period, or whose probe passed the highest rate the
 * last losses saw (however slowly they saw it move), when the probe got through less than
 * that highest rate: the pace was following the limit back up from a low, not probing one
 * that stood still. The probe's measure then averages a ramp from the rate held
 * at the low, and its middle with that rate reads lower still (a swinging background
 * consumer's budget at 16/s restarted the pace at 7/s); what got through over the last limit
 * period says where the limit is now, and the loss rate takes it, up to that highest rate
 * and the pace. A probe that got through more than that highest rate rode a renewed burst (a
 * token bucket refilled while the limit stood low): the middle rules (docs/ARCHITECTURE.md,
 * "The throttle"). Not on a swing proven over periods (`swungOverPeriods`): the follow passed
 * that high because the swing comes back above it, so more got through is the swing's return,
 * and what got through over the last period sets the loss rate up to the pace alone. Read as
 * a burst there, the loss rate fell to the middle between the low held and the probe (8/s
 * after a probe that met the swing's top at 18/s), the highs the next losses saw fell with
 * it, and the follow, capped again once the proof left memory, stood lower than before.
 */
export function movingProbeRate(
  middle: number,
  limit: MovingLimit,
  probe: { nowMs: number; paced: number; probed: number; periodMs: number },
  deliveredSince: DeliveredSince | undefined,
  options: Pick<RateControllerOptions, 'fellShortShare'>,
): number {
  const high = limit.highRatePerSecond;
  const movedPerPeriod = (limit.driftPerSecond * probe.periodMs) / 1000;
  // a pace past every rate the last losses saw followed the limit back up, however slowly
  // they saw it move (a limit that fell for minutes, then came back at once)
  const passedHigh = probe.paced > high * (1 + PLATEAU_TOLERANCE);
  const moving = movedPerPeriod > 1 - options.fellShortShare || passedHigh;
  // a swing proven over periods comes back above where the last losses saw it: getting more
  // through than that is its return, not a burst, and that high caps nothing
  const swung = limit.swungOverPeriods === true;
  if (!moving || (!swung && !(high > probe.probed))) return middle;
  const recent = deliveredSince?.(probe.nowMs - probe.periodMs);
  return recent === undefined
    ? middle
    : Math.max(middle, Math.min(probe.paced, recent, swung ? Infinity : high));
}

/**
 * The loss rate after a probe's loss: the pace held `heldRate` for a whole climb, rose past it
 * from `probeFromMs` (undefined: the rise was not seen) and drew a 429 at `paced`; the cycle's
 * measure set `cycleRate`. The 429 proves the limit below the probe, not below the rate that
 * held: what got through over a cycle the wait dilutes is weaker evidence than a rate held for
 * a whole climb, so a failed probe costs its wait and never a lower pace after it. What got
 * through since the pace rose above that rate is not diluted: it sets the loss rate within the
 * gap it found (`probedRate`), in place of the pace that drew the 429, which overshot the
 * limit; on a `swinging` limit (seen above every rate held) as `movingProbeRate` says.
 */
export function probeLossRate(
  cycleRate: number,
  probe: {
    heldRate: number;
    paced: number;
    probeFromMs: number | undefined;
    nowMs: number;
    periodMs: number;
  },
  swinging: MovingLimit | undefined,
  deliveredSince: DeliveredSince | undefined,
  options: Pick<RateControllerOptions, 'fellShortShare'>,
): number {
  const { heldRate, paced, probeFromMs } = probe;
  const probed = probeFromMs === undefined ? undefined : deliveredSince?.(probeFromMs);
  if (probed === undefined) return Math.max(cycleRate, heldRate);
  const middle = probedRate(heldRate, paced, probed);
  if (swinging === undefined) return middle;
  const { nowMs, periodMs } = probe;
  return movingProbeRate(
    middle,
    swinging,
    { nowMs, paced, probed, periodMs },
    deliveredSince,
    options,
  );
}

/**
 * The loss rate after a loss at the `plateau` rate, the `lossesInRow`-th such loss before it
 * (0: the first). One such loss after a whole hold is what a limit right at the pace draws
 * from a late timer or a bunched burst: the rate stays (its measure, diluted by the wait, says
 * nothing). Another one at the plateau in a row proves the pace runs above the limit, by no
 * more than the restart's dip as a rule (it held a whole climb back from there): the rate
 * steps down by half that dip, and each further one doubles the step, as a real decrease
 * compounds, up to what `lossFloorShare` allows per loss. A loss while the pace climbs back,
 * or a probe's, ends the run, but not that rate refused again on the climb back after it
 * (`refusedAgain`) (docs/ARCHITECTURE.md, "The throttle").
 */
export function plateauRate(
  plateau: number,
  lossesInRow: number,
  options: Pick<RateControllerOptions, 'decreaseFactor' | 'lossFloorShare'>,
): number {
  const { decreaseFactor, lossFloorShare } = options;
  if (lossesInRow === 0) return plateau;
  const step = Math.min(1 - lossFloorShare, ((1 - decreaseFactor) / 2) * 2 ** (lossesInRow - 1));
  return plateau * (1 - step);
}

/**
 * Whether a loss on the climb back (not held a whole climb, neither fallen short nor a pace that
 * got through) at `paced` is the last loss rate refused again: within half the restart's dip of
 * it, where the climb back levels off (docs/ARCHITECTURE.md, "The throttle").
 */
export function refusedAgain(
  paced: number,
  previousRate: number,
  options: Pick<RateControllerOptions, 'decreaseFactor'>,
): boolean {
  return paced >= previousRate * (1 - (1 - options.decreaseFactor) / 2);
}

/**
 * The loss rate after a loss while the pace climbs back (not held a whole climb, neither fallen
 * short nor a pace that got through), at `paced`, within half the restart's dip of the last
 * loss rate and before `recoveryRequests` requests went through since the wait
 * (`requestsSinceWait`); any other loss keeps `lossRate`. Such a loss is that rate refused
 * twice in a row, fewer requests apart than a climb takes. Taken as the loss point again (the
 * pace, as for any loss on the climb), the climb comes back to it and draws the same 429 every
 * few requests, and never holds it long enough for the plateau's step down: a sliding counter
 * of 7 requests per 0.67 s, its loss rate 1% above its rate, drew a 429 every 15 requests for
 * a whole run. So the loss rate goes below it: half the restart's dip below the pace, as a
 * repeated plateau loss steps, or what got through (`measured`, never below `lossFloorShare`
 * of the pace) when lower. Not past a climb's requests: a limit that moves (a background
 * consumer's swing) refuses a climb at the last rate as it falls, and a lower loss rate there
 * is only a lower pace when it swings back. Unless it came within a limit period of the wait
 * (`requestsPerPeriod` at the last loss rate) and the last loss rate was never held a whole
 * climb (`lastLossHeld`: it followed a loss at a rate the pace had held): the same rate refused
 * twice within one renewal of the limit is a pace above it, and a limit that moved is one a
 * rate held told of; the loss rate then goes half the dip below the pace, not to the measure,
 * which the wait dilutes (it would pace a 12/s limit at 10.6/s). A limit at 12/s, the loss
 * rate 12.03/s refused again 21 requests into the climb, a period on, took the pace again,
 * then the next loss's diluted measure, and sat at 9.9/s for 20 s (docs/ARCHITECTURE.md,
 * "The throttle").
 */
export function refusedAgainRate(
  lossRate: number,
  climb: {
    paced: number;
    previousRate: number;
    requestsSinceWait: number;
    requestsPerPeriod: number;
    lastLossHeld: boolean;
  },
  measured: number | undefined,
  options: Pick<RateControllerOptions, 'decreaseFactor' | 'lossFloorShare' | 'recoveryRequests'>,
): number {
  const { decreaseFactor, lossFloorShare, recoveryRequests } = options;
  const { paced, previousRate, requestsSinceWait } = climb;
  const halfDip = (1 - decreaseFactor) / 2;
  if (!refusedAgain(paced, previousRate, options)) return lossRate;
  const stepped = paced * (1 - halfDip);
  if (requestsSinceWait >= recoveryRequests) {
    // (at or below that rate: a pace past it followed a limit that moved back up)
    const again = paced <= previousRate * (1 + PLATEAU_TOLERANCE);
    const withinPeriod = requestsSinceWait < climb.requestsPerPeriod;
    return again && withinPeriod && !climb.lastLossHeld ? Math.min(lossRate, stepped) : lossRate;
  }
  if (measured === undefined || measured >= stepped) return stepped;
  return Math.max(measured, paced * lossFloorShare);
}

/**
 * The loss rate after a loss while the pace climbs back (not held a whole climb, neither fallen
 * short nor a pace that got through) at `paced`, within half the restart's dip of the last loss
 * rate, whose cycle let through `measured`, below the pace, when the last loss also came on
 * the climb with a measure below its pace (`lastMeasured`, undefined: it did not); any other
 * loss keeps `lossRate`. One such measure rules on nothing: a cycle's measure counts part of
 * the wait that began it, and only one short by more than `fellShortShare` rules on its own.
 * But the same rate refused on two climbs in a row, each letting less than it through, is a
 * pace above the limit by what the measure says: a sliding log of 27 requests per 2.6 s
 * (10.3/s) kept the pace at 11.5/s, each climb refused after 30 requests with 10.1/s through,
 * and the loss rate crept down 0.7% a loss, since the climb never held long enough for the
 * plateau's step nor was refused within a climb's requests (`refusedAgainRate`): a 429 every
 * 2.7 s for the whole run. So the loss rate takes the measure, never below `lossFloorShare`
 * of the pace (docs/ARCHITECTURE.md, "The throttle").
 */
export function measuredAgainRate(
  lossRate: number,
  climb: { paced: number; previousRate: number },
  measured: number,
  lastMeasured: number | undefined,
  options: Pick<RateControllerOptions, 'decreaseFactor' | 'lossFloorShare'>,
): number {
  const { paced, previousRate } = climb;
  const halfDip = (1 - options.decreaseFactor) / 2;
  if (lastMeasured === undefined || !(measured < paced) || paced < previousRate * (1 - halfDip))
    return lossRate;
  return Math.min(lossRate, Math.max(measured, paced * options.lossFloorShare));
}

/**
 * Whether the last few losses saw the limit (`seenHighPerSecond`, `LimitDrift`) above every
 * rate the pace held for a whole climb (`heldHighPerSecond`): the held rates are then a
 * swinging limit's lows (a pace keeps a rate for a whole climb only where the limit stays
 * long enough), not where a limit that fell stood before it.
 */
export function seenAboveHeldRate(seenHighPerSecond: number, heldHighPerSecond: number): boolean {
  return seenHighPerSecond > heldHighPerSecond * (1 + PLATEAU_TOLERANCE);
}
