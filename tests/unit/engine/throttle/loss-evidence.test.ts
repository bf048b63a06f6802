import { describe, expect, it } from 'vitest';
import { HeldRates } from '../../../../core/engine/throttle/held-rates';
import {
  cycleLossRate,
  fallIsMovement,
  measuredAgainRate,
  movingProbeRate,
  plateauRate,
  probedRate,
  probeLossRate,
  refusedAgainRate,
  renewalCarryMs,
  renewalMiddleRate,
  renewedRate,
  seenAboveHeldRate,
  sentThrough,
  spacedThroughRate,
  sustained,
  swingTopLossRate,
  type ClimbSpan,
  type LossHistory,
} from '../../../../core/engine/throttle/loss-evidence';

/** A climb that began at 1 s after a 0.5 s wait, on a 1 s limit period. */
const span: ClimbSpan = { climbFromMs: 1000, lastWaitMs: 500, periodMs: 1000 };
const rules = {
  cheapWaitPeriods: 0.5,
  recoveryRequests: 20,
  fellShortShare: 0.85,
  lossFloorShare: 0.6,
  decreaseFactor: 0.9,
};
/** Two losses before, the last one's measure (not its pace) ruled, the limit not seen moving. */
const history: LossHistory = {
  lossCount: 2,
  lastSentThrough: false,
  lastMeasuredRate: undefined,
  driftPerSecond: 0,
};

describe('a budget the wait renewed', () => {
  it('carries a pace until it renews again: nothing kept for less is proven, even within a period', () => {
    const renewal = { budget: 24, lowerMs: 2000, upperMs: 2900 };
    const carried = { ...span, renewalMs: renewalCarryMs(renewal) };
    // kept 2.5 s at 12/s: a period, a climb and the wait, but not past the renewal by 2.9 s
    expect(sustained(span, 3500, 12, 20)).toBe(true);
    expect(sustained(carried, 3500, 12, 20)).toBe(false);
    expect(sustained(carried, 3500, 12, 20, true)).toBe(false);
    expect(sustained(carried, 4000, 12, 20)).toBe(true);
    // the upper bound unproven: the lower one is as long as it carries for sure
    expect(renewalCarryMs({ ...renewal, upperMs: Infinity })).toBe(2000);
    expect(renewalCarryMs(undefined)).toBe(0);
    // 24 renewed within 2.9 s: the limit admits 24 per 2.9 s
    expect(renewedRate(renewal)).toBeCloseTo(24 / 2.9);
    expect(renewedRate({ ...renewal, upperMs: Infinity })).toBe(0);
  });

  it("bounds a loss rate by the rate of the renewal search's next try: the count over the bounds' middle", () => {
    const renewal = { budget: 24, lowerMs: 2000, upperMs: 4000 };
    // 24 renewing between 2 s and 4 s: the next wait tries 2.83 s, 8.5/s
    expect(renewalMiddleRate(renewal)).toBeCloseTo(24 / Math.sqrt(2 * 4));
    // nothing refused (no lower bound) or nothing admitted (no upper one): no search, no bound
    expect(renewalMiddleRate({ ...renewal, lowerMs: 0 })).toBe(Infinity);
    expect(renewalMiddleRate({ ...renewal, upperMs: Infinity })).toBe(Infinity);
    expect(renewalMiddleRate(undefined)).toBe(Infinity);
  });
});

describe('sustained', () => {
  it('asks a limit period, a climb of requests and the wait before it', () => {
    // kept 2 s: at 10/s that is 20 requests, at 9/s only 18
    expect(sustained(span, 3000, 10, 20)).toBe(true);
    expect(sustained(span, 3000, 9, 20)).toBe(false);
    // 0.9 s is less than a period, however fast: unless the period is not asked
    expect(sustained(span, 1900, 100, 20)).toBe(false);
    expect(sustained(span, 1900, 100, 20, true)).toBe(true);
    // kept 2 s after a wait of 2.5 s: the budget the wait renewed may still carry the pace
    expect(sustained({ ...span, lastWaitMs: 2500 }, 3000, 100, 20)).toBe(false);
  });
});

describe('sentThrough', () => {
  it('takes the pace for the loss point when what got through since the wait came to it', () => {
    const asked: number[] = [];
    const delivered = (perSecond: number) => (fromMs: number) => {
      asked.push(fromMs);
      return perSecond;
    };
    // 12/s kept 2 s (24 requests, over a period and the wait), 11/s of it got through (> 0.85)
    expect(sentThrough(span, history, 3000, 12, delivered(11), rules)).toBe(true);
    // measured since the wait ended, not over the cycle
    expect(asked).toEqual([1000]);
    // 10/s got through: short of the pace by more than a loss that falls short
    expect(sentThrough(span, history, 3000, 12, delivered(10), rules)).toBe(false);
    expect(sentThrough(span, history, 3000, 12, () => undefined, rules)).toBe(false);
    expect(sentThrough(span, history, 3000, 12, undefined, rules)).toBe(false);
  });

  it('never after slow start, twice in a row, or while the limit is seen moving', () => {
    const through = (): number => 12;
    expect(sentThrough(span, { ...history, lossCount: 1 }, 3000, 12, through, rules)).toBe(false);
    const twice = { ...history, lastSentThrough: true };
    expect(sentThrough(span, twice, 3000, 12, through, rules)).toBe(false);
    const moving = { ...history, driftPerSecond: 0.1 };
    expect(sentThrough(span, moving, 3000, 12, through, rules)).toBe(false);
  });

  it('needs no whole period for a pace no faster than the last cycle measured', () => {
    const few = { ...rules, recoveryRequests: 5 };
    const through = (): number => 12;
    // kept 0.9 s (under the 1 s period) at 12/s
    expect(sentThrough(span, history, 1900, 12, through, few)).toBe(false);
    const measured12 = { ...history, lastMeasuredRate: 12 };
    expect(sentThrough(span, measured12, 1900, 12, through, few)).toBe(true);
    const measured11 = { ...history, lastMeasuredRate: 11 };
    expect(sentThrough(span, measured11, 1900, 12, through, few)).toBe(false);
  });
});

describe('spacedThroughRate', () => {
  it('takes the last admitted spacing on a limit without burst once the pace got through since the wait', () => {
    // the last ten requests got through at 13.6/s of a 14.2/s pace, the last two 70 ms apart:
    // the limit admits 14.3/s spacing, however long the climb since the wait
    const sent = { pace: 14.2, spacedPerSecond: 1000 / 70 };
    expect(spacedThroughRate(span, 12_000, sent, () => 13.6, rules)).toBeCloseTo(1000 / 70);
    // without the spacing, what the ten got through
    expect(
      spacedThroughRate(
        span,
        12_000,
        { pace: 14.2, spacedPerSecond: undefined },
        () => 13.6,
        rules,
      ),
    ).toBe(13.6);
    // fewer than ten since the wait: their measure counts the wait and falls short of the pace
    expect(spacedThroughRate(span, 1200, sent, () => 6, rules)).toBeUndefined();
    // still in the wait
    expect(spacedThroughRate(span, 900, sent, () => 13.6, rules)).toBeUndefined();
  });

  it('takes the spacing from fewer than ten after a short wait, once the last loss got through', () => {
    // a climb at 12/s after a 70 ms wait on a 70 ms period: five got through in the 0.45 s since
    // the wait (11.1/s), the last two 84 ms apart, and the next was refused. The last ten span
    // the wait and read 9/s; the five since it were each admitted at its spacing
    const short: ClimbSpan = { climbFromMs: 1000, lastWaitMs: 70, periodMs: 70 };
    const sent = { pace: 12, spacedPerSecond: 1000 / 84, admitted: 5, lastSentThrough: true };
    expect(spacedThroughRate(short, 1450, sent, () => 9, rules)).toBeCloseTo(1000 / 84);
    // the last loss's pace did not get through: no spacing proven before this cycle
    expect(
      spacedThroughRate(short, 1450, { ...sent, lastSentThrough: false }, () => 9, rules),
    ).toBeUndefined();
    // a 3 s wait saved up a burst at the pace: five admitted after it prove no spacing
    expect(
      spacedThroughRate({ ...short, lastWaitMs: 3000 }, 1450, sent, () => 9, rules),
    ).toBeUndefined();
    // the five since the wait fell short of the pace
    expect(spacedThroughRate(short, 1700, sent, () => 9, rules)).toBeUndefined();
  });
});

describe('cycleLossRate', () => {
  it('takes what got through by a bounded step, a pace that got through less half the dip, else the pace', () => {
    // 7/s of a 10/s pace got through: the limit is there
    expect(cycleLossRate(10, 7, false, rules)).toBe(7);
    // 5/s: no lower than 0.6 of the pace in one loss
    expect(cycleLossRate(10, 5, false, rules)).toBe(6);
    // the pace got through since the wait: the restart's dip is 10%, half of it below the pace
    expect(cycleLossRate(10, undefined, true, rules)).toBeCloseTo(9.5);
    expect(cycleLossRate(10, undefined, false, rules)).toBe(10);
  });
});

describe('probedRate', () => {
  it('takes the geometric middle of the rate held and what the probe got through, never below the held rate', () => {
    expect(probedRate(10, 20, 12.1)).toBeCloseTo(11);
    // what got through reads high by a burst: no more than the pace that drew the 429 counts
    expect(probedRate(10, 14.4, 30)).toBeCloseTo(12);
    expect(probedRate(10, 20, 8)).toBe(10);
  });
});

describe('movingProbeRate', () => {
  /** A limit moving at 0.2/s (60% of a 3 s period), last seen at 10/s. */
  const swinging = { driftPerSecond: 0.2, highRatePerSecond: 10 };
  const probe = { nowMs: 16_500, paced: 10.5, probed: 7, periodMs: 3000 };

  it('takes what got through over the last period when the probe was following the limit back up', () => {
    const asked: number[] = [];
    const lastPeriod = (fromMs: number): number => {
      asked.push(fromMs);
      return 9.5;
    };
    expect(movingProbeRate(6.5, swinging, probe, lastPeriod, rules)).toBe(9.5);
    expect(asked).toEqual([13_500]);
    // no more than where the limit last stood, nor the pace
    expect(movingProbeRate(6.5, swinging, probe, () => 11, rules)).toBe(10);
    expect(
      movingProbeRate(6.5, { ...swinging, highRatePerSecond: 12 }, probe, () => 11, rules),
    ).toBe(10.5);
    // never below the middle
    expect(movingProbeRate(6.5, swinging, probe, () => 5, rules)).toBe(6.5);
    expect(movingProbeRate(6.5, swinging, probe, () => undefined, rules)).toBe(6.5);
  });

  it('keeps the middle for a slow limit the probe did not pass, or a probe that got through more than the limit last stood at', () => {
    const lastPeriod = (): number => 9.5;
    // 0.04/s moves 12% a period: less than a loss that falls short (15%)
    const slow = { ...swinging, driftPerSecond: 0.04 };
    expect(movingProbeRate(6.5, slow, { ...probe, paced: 9.8 }, lastPeriod, rules)).toBe(6.5);
    // the same slow limit, but the pace passed the 10/s last seen: it followed the limit back up
    expect(movingProbeRate(6.5, slow, probe, lastPeriod, rules)).toBe(9.5);
    // 12/s through since the probe rose, above the 10/s last seen: a renewed burst
    expect(movingProbeRate(6.5, swinging, { ...probe, probed: 12 }, lastPeriod, rules)).toBe(6.5);
  });

  it('takes what got through over the last period past where the limit last stood on a swing proven over periods', () => {
    // the swing comes back above the 10/s last seen: 12/s through since the probe rose is its
    // return, not a burst, and the last period's 13/s is the loss rate, up to the pace
    const proven = { ...swinging, swungOverPeriods: true };
    const fast = { ...probe, paced: 18, probed: 12 };
    expect(movingProbeRate(6.5, proven, fast, () => 13, rules)).toBe(13);
    expect(movingProbeRate(6.5, proven, fast, () => 20, rules)).toBe(18);
    expect(movingProbeRate(6.5, swinging, fast, () => 13, rules)).toBe(6.5);
    // never below the middle
    expect(movingProbeRate(6.5, proven, fast, () => 5, rules)).toBe(6.5);
  });
});

describe('swingTopLossRate', () => {
  /** A swing proven over periods, last seen at 10/s; a follow's 429 at 18/s on a 2 s period. */
  const proven = { highRatePerSecond: 10, swungOverPeriods: true };
  const loss = { nowMs: 28_000, paced: 18, periodMs: 2000 };

  it("takes what got through over the last period when the follow passed the swing's last high", () => {
    const asked: number[] = [];
    const lastPeriod = (fromMs: number): number => {
      asked.push(fromMs);
      return 17;
    };
    // the cycle's measure (11.5/s) averages the ramp from the low
    expect(swingTopLossRate(11.5, proven, loss, lastPeriod)).toBe(17);
    expect(asked).toEqual([26_000]);
    // up to the pace, never below the measure
    expect(swingTopLossRate(11.5, proven, loss, () => 20)).toBe(18);
    expect(swingTopLossRate(11.5, proven, loss, () => 9)).toBe(11.5);
    expect(swingTopLossRate(11.5, proven, loss, () => undefined)).toBe(11.5);
  });

  it('keeps the measure below the last high, or on a swing not proven over periods', () => {
    const lastPeriod = (): number => 17;
    expect(swingTopLossRate(8, proven, { ...loss, paced: 9.5 }, lastPeriod)).toBe(8);
    expect(swingTopLossRate(11.5, { ...proven, swungOverPeriods: false }, loss, lastPeriod)).toBe(
      11.5,
    );
  });
});

describe('probeLossRate', () => {
  /** Held 10/s for a whole climb, rose past it at 3.5 s, met a 429 at 14/s at 7 s; 1 s period. */
  const probe = { heldRate: 10, paced: 14, probeFromMs: 3500, nowMs: 7000, periodMs: 1000 };

  it('never sets less than the rate held, and takes the middle of what got through since the rise', () => {
    // the cycle's measure (6/s, diluted by the wait) is weaker than the rate held
    expect(
      probeLossRate(6, { ...probe, probeFromMs: undefined }, undefined, () => 12.1, rules),
    ).toBe(10);
    const asked: number[] = [];
    const sinceRise = (fromMs: number): number => {
      asked.push(fromMs);
      return 12.1;
    };
    expect(probeLossRate(6, probe, undefined, sinceRise, rules)).toBeCloseTo(11);
    expect(asked).toEqual([3500]);
    expect(probeLossRate(6, probe, undefined, () => undefined, rules)).toBe(10);
  });

  it('on a swinging limit takes what got through over the last period (movingProbeRate)', () => {
    const swinging = { driftPerSecond: 0.2, highRatePerSecond: 12 };
    const delivered = (fromMs: number): number => (fromMs === 6000 ? 11.5 : 10.4);
    // the middle would be √(10 × 10.4) ≈ 10.2
    expect(probeLossRate(6, probe, swinging, delivered, rules)).toBe(11.5);
    expect(probeLossRate(6, probe, undefined, delivered, rules)).toBeCloseTo(Math.sqrt(104));
  });
});

describe('fallIsMovement', () => {
  it('takes a fall for movement after a wait under half a period, or a rate kept long enough', () => {
    // kept 0.9 s only (under the 1 s period), but after a 0.4 s wait: cheap to check
    expect(fallIsMovement({ ...span, lastWaitMs: 400 }, 1900, 10, rules)).toBe(true);
    // after a 0.5 s wait (half the period), 0.9 s proves nothing
    expect(fallIsMovement(span, 1900, 10, rules)).toBe(false);
    // 2 s at 10/s: a period, 20 requests and the wait
    expect(fallIsMovement(span, 3000, 10, rules)).toBe(true);
    // no rate before (slow start's loss), and the wait not cheap
    expect(fallIsMovement(span, 3000, undefined, rules)).toBe(false);
  });
});

describe('plateauRate', () => {
  it('keeps the first loss at the plateau, then steps down by half the dip, doubling, within the floor', () => {
    expect(plateauRate(10, 0, rules)).toBe(10);
    expect(plateauRate(10, 1, rules)).toBeCloseTo(9.5);
    expect(plateauRate(10, 2, rules)).toBeCloseTo(9);
    expect(plateauRate(10, 3, rules)).toBeCloseTo(8);
    // 40% at most (lossFloorShare 0.6), however many
    expect(plateauRate(10, 5, rules)).toBeCloseTo(6);
  });
});

describe('seenAboveHeldRate', () => {
  it('says whether the losses saw the limit above every rate held', () => {
    expect(seenAboveHeldRate(10, 6)).toBe(true);
    expect(seenAboveHeldRate(6.003, 6)).toBe(false);
    expect(seenAboveHeldRate(5, 6)).toBe(false);
  });
});

describe('HeldRates', () => {
  it('remembers the highest of the last few rates held', () => {
    const held = new HeldRates(4);
    expect(held.highPerSecond).toBe(0);
    held.add(6);
    held.add(10);
    held.add(4);
    expect(held.highPerSecond).toBe(10);
    // four more: the 10/s held five rates ago is forgotten
    for (const rate of [5, 5, 5, 5]) held.add(rate);
    expect(held.highPerSecond).toBe(5);
  });
});

describe('refusedAgainRate', () => {
  // the last loss rate 10/s, the dip 10%: within half of it is 9.5/s and above
  // (a limit period holds 40 requests at it; the last loss did not follow a rate held)
  const again = {
    paced: 9.8,
    previousRate: 10,
    requestsSinceWait: 8,
    requestsPerPeriod: 40,
    lastLossHeld: false,
  };

  it('steps half the dip below a pace refused again at the last loss rate early in the climb', () => {
    expect(refusedAgainRate(9.8, again, undefined, rules)).toBeCloseTo(9.31);
    // what got through, when lower, never below lossFloorShare of the pace
    expect(refusedAgainRate(9.8, again, 8, rules)).toBe(8);
    expect(refusedAgainRate(9.8, again, 3, rules)).toBeCloseTo(5.88);
  });

  it('keeps the loss rate for a pace well below the last one, or past a climb of requests and a period', () => {
    expect(refusedAgainRate(9, { ...again, paced: 9 }, undefined, rules)).toBe(9);
    const pastPeriod = { ...again, requestsSinceWait: 40 };
    expect(refusedAgainRate(9.8, pastPeriod, undefined, rules)).toBe(9.8);
  });

  it('past a climb of requests but within a period, steps half the dip below the pace, not to the measure', () => {
    const withinPeriod = { ...again, requestsSinceWait: 21 };
    expect(refusedAgainRate(9.8, withinPeriod, undefined, rules)).toBeCloseTo(9.31);
    expect(refusedAgainRate(9.8, withinPeriod, 8, rules)).toBeCloseTo(9.31);
    // unless the last loss followed a rate the pace held a whole climb (a limit that moved)
    const afterHeld = { ...withinPeriod, lastLossHeld: true };
    expect(refusedAgainRate(9.8, afterHeld, 8, rules)).toBe(9.8);
    // or the pace was past that rate (it followed a limit that moved back up)
    expect(refusedAgainRate(10.2, { ...withinPeriod, paced: 10.2 }, 8, rules)).toBe(10.2);
  });
});

describe('measuredAgainRate', () => {
  // the last loss rate 10/s, the dip 10%: within half of it is 9.5/s and above
  const climb = { paced: 9.8, previousRate: 10 };

  it('takes the measure when the same rate is refused on a second climb in a row with less let through', () => {
    expect(measuredAgainRate(9.8, climb, 8.6, 8.8, rules)).toBe(8.6);
    // never below lossFloorShare of the pace
    expect(measuredAgainRate(9.8, climb, 3, 8.8, rules)).toBeCloseTo(5.88);
    // never above a loss rate another rule set lower
    expect(measuredAgainRate(8, climb, 8.6, 8.8, rules)).toBe(8);
  });

  it('keeps the loss rate after a first such climb, a measure at the pace, or a pace well below the last loss rate', () => {
    expect(measuredAgainRate(9.8, climb, 8.6, undefined, rules)).toBe(9.8);
    expect(measuredAgainRate(9.8, climb, 9.8, 8.8, rules)).toBe(9.8);
    expect(measuredAgainRate(9, { ...climb, paced: 9 }, 8, 8.8, rules)).toBe(9);
  });
});
