import { PLATEAU_TOLERANCE } from './loss-evidence';
import type { RateControllerOptions } from './rate-controller-options';

/** How the pace climbs back after a loss (docs/ARCHITECTURE.md, "The throttle"). */
export type ClimbOptions = Pick<
  RateControllerOptions,
  | 'decreaseFactor'
  | 'recoveryPeriods'
  | 'recoveryRequests'
  | 'recoveryLossCosts'
  | 'probeGrowthPerPeriod'
  | 'fellShortShare'
>;

/** What the climb after a loss is shaped by: the controller's state at the moment read. */
export interface ClimbState {
  /** The loss rate the climb returns to, per second. */
  lossRatePerSecond: number;
  /** How long ago the climb began (the last loss's wait ended), ms; 0 during the wait. */
  sinceMs: number;
  /** The limit period, ms. */
  periodMs: number;
  /** What one probe costs, ms: the last loss's wait, at least a few requests' time. */
  lossCostMs: number;
  /** How long the last loss's org-wide wait lasted, ms. */
  lastWaitMs: number;
  /** The highest rate the pace held for a whole climb lately, per second (0: none). */
  heldHighPerSecond: number;
  /** How fast the limit is seen moving, natural-log units per second (0: static). */
  driftPerSecond: number;
  /** The highest rate the last few losses saw, per second (where a moving limit last stood). */
  seenHighPerSecond: number;
  /** The losses remembered show the limit swinging, down and up again (`LimitDrift.swinging`). */
  swinging?: boolean;
  /** That swing turned twice between legs beyond its measures' noise (`LimitDrift.swungOverPeriods`). */
  swungOverPeriods?: boolean;
  /** The lowest pace refused since the last loss that fell short (0: none): the limit is below it. */
  refusedAbovePerSecond?: number;
  /**
   * The pace the last loss refused when the floor set its loss rate (`lossFloorShare`: a guess,
   * not a measure), per second (0 or undefined: the loss rate was measured).
   */
  floorRefusedPerSecond?: number;
  /** The requests the runs still have to send (`WorkLeft`; undefined: unknown). */
  requestsLeft?: number;
}

/**
 * How long the climb back to `lossRate` takes, ms: `recoveryPeriods` limit periods, and at
 * least `recoveryRequests` requests at that rate.
 */
export function recoveryMs(
  lossRate: number,
  periodMs: number,
  options: Pick<RateControllerOptions, 'recoveryPeriods' | 'recoveryRequests'>,
): number {
  return Math.max(options.recoveryPeriods * periodMs, (options.recoveryRequests * 1000) / lossRate);
}

/**
 * The pace on the climb after a loss, requests per second (not clamped to the controller's
 * bounds), CUBIC-style: from a little below the loss rate, concave back to it, flat there for
 * the hold, then convex above it (the probe), past the probe's top as fast as slow start; a
 * limit seen moving is held and climbed back no longer than its speed makes worth a 429's
 * wait, and followed at that speed (docs/ARCHITECTURE.md, "The throttle").
 */
export function climbRate(state: ClimbState, options: ClimbOptions): number {
  const { decreaseFactor, recoveryPeriods } = options;
  const lossRate = state.lossRatePerSecond;
  // W(t) = Wmax (1 + (1 − β) ((t − K) / K)³): β Wmax at t = 0, flat at Wmax around t = K
  // the climb back takes `recoveryPeriods` limit periods and at least `recoveryRequests`
  // requests (the cycle of one probe loss then spans enough requests to keep 429s rare)
  // A limit seen moving (`LimitDrift`) is probed as often as the expected cost says: a probe
  // every H costs C / H of the time (C: one loss's wait), and a limit moving at d per second
  // leaves on average d H / 2 unused between probes; the sum is least at H = √(2C / d). The
  // climb back is no longer than that either: a limit that halved and comes back is found
  // one H after the wait, not after the static limit's periods of near-flat climbing.
  const drift = state.driftPerSecond;
  const movingHoldMs =
    drift > 0 ? Math.sqrt((2 * state.lastWaitMs) / 1000 / drift) * 1000 : Infinity;
  const climbBackMs = Math.min(
    recoveryMs(lossRate, state.periodMs, options),
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
  // A loss that left an interval (`searchTarget`: slow start's, its measure the loss rate)
  // is priced the same way: the gain a probe finds is the way to the interval's middle, and
  // the climb there is the probe back toward a rate held before
  const target = searchTarget(state, options);
  // (a loss within a fell-short share of the rate held is that limit measured a shade high
  // again, not a move: the probe then searches as at a static limit)
  const heldHigh = Math.max(state.heldHighPerSecond, target);
  // (a search's middle is priced by the gain to it however close: `searchTarget` tries one only
  // when it seeks more than the static probe's few percent)
  const fell = lossRate < heldHigh * options.fellShortShare || target > lossRate;
  const gain = fell ? Math.max(probeGain, heldHigh / lossRate - 1) : probeGain;
  // A loss rate the floor set (`floorRefusedPerSecond`) is a share of the pace refused, not a
  // rate the limit was seen at: the gain a probe may find is the gap up to that pace, and the
  // hold is priced by it. Held for the plateau's waits, a sliding counter's floor of 11.2/s
  // (slow start refused at 18.7/s, its next cycle diluted by the wait) sat at 93% of a 12/s
  // limit for a hold of 33 s, longer than the run. Only the hold: the climb above keeps the
  // cubic's few percent, since the limit may as well lie below the floor
  const floorGain = (state.floorRefusedPerSecond ?? 0) / lossRate - 1;
  const holdGain = Math.max(gain, floorGain);
  // a moving limit's hold is H at most (above)
  const holdMs = Math.max(
    0,
    Math.min((options.recoveryLossCosts * state.lossCostMs * probeGain) / holdGain, movingHoldMs) -
      climbBackMs,
  );
  const sinceMs = state.sinceMs;
  const climbedMs = sinceMs < climbBackMs ? sinceMs : Math.max(climbBackMs, sinceMs - holdMs);
  const periods = (climbedMs / climbBackMs) * recoveryPeriods;
  // a probe goes only when it pays for itself over the work left (`probePays`)
  const pays = probePays(state, gain, options);
  const x = Math.min(pays ? 1 : 0, (periods - recoveryPeriods) / recoveryPeriods);
  // The probe's convex climb above the loss rate tops out at the cubic's few percent on a
  // static limit; after a fall from a rate held it heads for that rate, the gap its hold was
  // priced by: a limit that stood there may be back, and a probe that topped out a few
  // percent up and only then grew took a whole climb more to reach it (a halved limit that
  // came back was found seconds late). Not toward a search's middle (`searchTarget`), a rate
  // never held: a limit without burst reads a try refused there by the spacing of the requests
  // before it, which the cubic's slow approach keeps close to the pace.
  const topGain =
    x > 0 && lossRate < state.heldHighPerSecond * options.fellShortShare
      ? state.heldHighPerSecond / lossRate - 1
      : 1 - decreaseFactor;
  const cubic = lossRate * (1 + topGain * x ** 3);
  // past the probe's top the loss rate is clearly stale (the limit rose, a background consumer
  // went quiet): search upwards as fast as slow start does
  const beyond = pays ? Math.max(0, periods - 2 * recoveryPeriods) : 0;
  const growth = Math.max(options.probeGrowthPerPeriod, (1 + gain) ** (1 / recoveryPeriods) - 1);
  let grown = cubic * (1 + growth) ** beyond;
  // A limit seen moving is followed as fast as it was seen to move, back up to the highest
  // rate the last few losses saw (where it last stood), and the search above that rises no
  // faster than that speed: on a moving limit's short climb the cubic's search compounds
  // `growth` per climb-period, half again per second or more, and overshoots a limit that
  // stopped into a 429 whose diluted measure sets the pace below it again. A limit whose
  // last loss is its highest (it was rising) keeps both. Up to a rate held before the limit
  // fell the search climbs as for a static limit (by the gap): a halved limit's low measures a
  // slow drift from its losses' noise, and crawling at it past the last high found the limit
  // back ten seconds late (docs/ARCHITECTURE.md, "The throttle").
  // On a swing (`LimitDrift.swinging`: a background consumer whose use goes up and down), a
  // loss well below where the limit last stood is its fall, and the follow starts from the
  // restart at once, with no climb back and no hold first: the loss rate, measured over a
  // cycle the wait diluted, already lags below the limit, and a swing turns within seconds,
  // so a climb back and hold of their own left the pace far under a budget that came back
  const atOnce =
    state.swinging === true && lossRate < state.seenHighPerSecond * options.fellShortShare;
  const followedMs = climbedMs - climbBackMs;
  if (drift > 0 && (atOnce || followedMs > 0)) {
    const tracked = atOnce
      ? lossRate * decreaseFactor * Math.exp((drift * sinceMs) / 1000)
      : lossRate * Math.exp((drift * followedMs) / 1000);
    const lastHigh = state.seenHighPerSecond;
    // A swing whose legs each moved more than a limit period's budget over their span
    // (`LimitDrift.swungOverPeriods`) is followed past where the last losses saw it: that high
    // is often slow start's count or a probe's measure capped at it (`movingProbeRate`), never
    // a rate the limit was seen at, and a consumer's swing comes back higher than it; a limit
    // whose measures only bounce moves less than that and keeps the cap
    const high =
      state.swungOverPeriods !== true && lastHigh > lossRate * (1 + PLATEAU_TOLERANCE)
        ? lastHigh
        : Number.POSITIVE_INFINITY;
    grown = Math.max(
      cubic,
      Math.min(tracked, high),
      Math.min(grown, Math.max(high, tracked, state.heldHighPerSecond)),
    );
  }
  return grown;
}

/**
 * Whether a probe above the loss rate pays for itself over the work left (docs/ARCHITECTURE.md,
 * "Probes priced by the work left"). Admitted, it gains `gain` of the loss rate for the rest of
 * the run; refused, it costs its 429 and the wait it draws (`lossCostMs` at the loss rate, in
 * requests). The price is the hold's own: the hold spaces probes of the cubic's gain
 * `recoveryLossCosts` refusals' cost apart, so a probe seeking `gain` pays when the work left is
 * at least that spacing scaled by the cubic's gain over `gain`. A run near its end gains too
 * little to pay a 429 and a wait; unknown work always probes, as before.
 */
export function probePays(
  state: Pick<ClimbState, 'requestsLeft' | 'lossCostMs' | 'lossRatePerSecond'>,
  gain: number,
  options: Pick<RateControllerOptions, 'recoveryLossCosts' | 'decreaseFactor'>,
): boolean {
  const left = state.requestsLeft;
  if (left === undefined) return true;
  if (!(gain > 0)) return false;
  // a refusal's price in requests: its 429 and its wait at the loss rate
  const costRequests = 1 + (state.lossCostMs / 1000) * state.lossRatePerSecond;
  // the hold spaces probes of the cubic's gain `recoveryLossCosts` losses' time apart: it
  // prices each at 1 / recoveryLossCosts of the time until the next, so a probe of `gain`
  // pays when the rest of the run is as long as that spacing, scaled by the gain it seeks
  const probeGain = 1 - options.decreaseFactor;
  return left >= (options.recoveryLossCosts * costRequests * probeGain) / gain;
}

/**
 * The rate a bisection of the interval the last losses left tries next, per second (0: none;
 * docs/ARCHITECTURE.md, "The climb after a loss"). Slow start's loss whose measure fell short
 * (its first cycle counts the ramp) but not below the floor share of the pace leaves the limit
 * between that measure, the loss rate, and the lowest pace refused since
 * (`refusedAbovePerSecond`; none after a loss rate at the floor, a share of the pace the options
 * set rather than a measure): a static hold priced at the cubic's few percent then kept a limit
 * of 16.2/s at 11.7/s for a whole run. The next try is the interval's geometric middle, while
 * that middle is more than the static probe's gain (1 − decreaseFactor) above the loss rate;
 * each try that holds halves what is left, and one refused sets the lowest pace refused. Not
 * on a limit seen moving (a pace refused before a move bounds nothing) nor below a rate held
 * (the climb back to that rate rules).
 */
export function searchTarget(
  state: Pick<
    ClimbState,
    'lossRatePerSecond' | 'refusedAbovePerSecond' | 'driftPerSecond' | 'heldHighPerSecond'
  >,
  options: Pick<RateControllerOptions, 'fellShortShare' | 'decreaseFactor'>,
): number {
  const refused = state.refusedAbovePerSecond ?? 0;
  const lossRate = state.lossRatePerSecond;
  if (state.driftPerSecond > 0 || !(refused > lossRate)) return 0;
  if (lossRate < state.heldHighPerSecond * options.fellShortShare) return 0;
  const middle = Math.sqrt(lossRate * refused);
  // the search goes on while its middle seeks more than the static probe above the loss rate
  // would (the cubic's 1 − decreaseFactor): a middle closer than that is what the static
  // climb's probe tries anyway. Stopped within a fell-short share (a middle 16% up), a fixed
  // window of 17.3/s searched from 13.8/s (slow start refused at 18.7/s) sat at 13.8/s for a
  // whole static hold, then at 14.7/s after its probe's 429, where the middles 16.1 and 17.3/s
  // held without one
  return lossRate < middle * options.decreaseFactor ? middle : 0;
}
