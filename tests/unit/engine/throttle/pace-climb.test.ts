import { describe, expect, it } from 'vitest';
import {
  climbRate,
  recoveryMs,
  type ClimbState,
} from '../../../../core/engine/throttle/pace-climb';

const options = {
  decreaseFactor: 0.9,
  recoveryPeriods: 3,
  recoveryRequests: 0,
  recoveryLossCosts: 0,
  probeGrowthPerPeriod: 0.2,
  fellShortShare: 0.85,
};

/** A loss at 10/s on a 1 s period after a 1 s wait, static, no rate held before it. */
function stateAt(sinceMs: number, extra: Partial<ClimbState> = {}): ClimbState {
  return {
    lossRatePerSecond: 10,
    sinceMs,
    periodMs: 1000,
    lossCostMs: 1000,
    lastWaitMs: 1000,
    heldHighPerSecond: 0,
    driftPerSecond: 0,
    seenHighPerSecond: 0,
    ...extra,
  };
}

/** The pace `sinceMs` after the wait, with no hold at the loss rate (recoveryLossCosts 0). */
function at(sinceMs: number, extra: Partial<ClimbState> = {}): number {
  return climbRate(stateAt(sinceMs, extra), options);
}

/** The pace `sinceMs` after the wait, holding for 20 waits. */
function holding(sinceMs: number, extra: Partial<ClimbState> = {}): number {
  return climbRate(stateAt(sinceMs, extra), { ...options, recoveryLossCosts: 20 });
}

describe('recoveryMs', () => {
  it('is recoveryPeriods periods, or recoveryRequests requests at the loss rate if longer', () => {
    const climb = { recoveryPeriods: 3, recoveryRequests: 20 };
    expect(recoveryMs(10, 1000, climb)).toBe(3000);
    expect(recoveryMs(5, 1000, climb)).toBe(4000);
    expect(recoveryMs(5, 2000, climb)).toBe(6000);
  });
});

describe('climbRate', () => {
  it('restarts below the loss rate, climbs back concave, then probes above it faster and faster', () => {
    expect(at(0)).toBeCloseTo(9);
    // more than half way back half way through the climb (concave)
    expect(at(1500)).toBeGreaterThan(9.5);
    expect(at(3000)).toBeCloseTo(10);
    // the cubic's top, 10% above, after as long again
    expect(at(6000)).toBeCloseTo(11);
    // then 20% a period
    expect(at(7000)).toBeCloseTo(13.2);
  });

  it('holds at the loss rate for recoveryLossCosts waits, shortened by the gap to a rate held before', () => {
    // 20 waits of 1 s: flat at 10/s until 20 s, the cubic's top 3 s after
    expect(holding(19_000)).toBeCloseTo(10);
    expect(holding(23_000)).toBeCloseTo(11);
    // a rate of 15/s held before: the probe may find 50%, so the hold is a fifth as long, and
    // its cubic tops out at the rate held
    expect(holding(7000, { heldHighPerSecond: 15 })).toBeCloseTo(15);
    expect(holding(7000)).toBeCloseTo(10);
  });

  it('holds as at a static limit after a loss within a fell-short share of the rate held', () => {
    // 11.5/s held, then a loss at 10/s: that limit measured a shade high again, not a fall,
    // so the probe does not hurry back to 11.5/s (each return there drew a 429): it holds
    // the static 20 waits, and tops its cubic 3 s after
    expect(holding(16_000, { heldHighPerSecond: 11.5 })).toBeCloseTo(10);
    expect(holding(23_000, { heldHighPerSecond: 11.5 })).toBeCloseTo(11);
    // 12/s held: 10/s is below 85% of it, the limit fell, and the probe, looking for a 20%
    // gap, holds half as long and tops its cubic at the rate held, 12/s, 13 s after the wait
    expect(holding(13_000, { heldHighPerSecond: 12 })).toBeCloseTo(12);
  });

  it('probes back toward a rate held before the limit fell within the probe periods, not after the cubic top', () => {
    // 20/s held, a loss at 10/s: the probe seeks the whole gap, so its hold is gone (20 waits
    // priced at a gain of 100% instead of 10%) and its convex climb heads for 20/s: half way
    // through the probe periods it is an eighth of the gap up, at their end at the rate held.
    // A cubic topping at the 10% of a static limit's probe and only then growing reached the
    // rate held a whole climb later: a halved limit that came back was found seconds late
    const fell = { heldHighPerSecond: 20 };
    expect(holding(3000, fell)).toBeCloseTo(10);
    expect(holding(4500, fell)).toBeCloseTo(10 * (1 + 1 / 8));
    expect(holding(6000, fell)).toBeCloseTo(20);
    // a static limit's probe is unchanged: the cubic's 10% at its top
    expect(at(6000)).toBeCloseTo(11);
  });

  it('follows a moving limit at its speed, up to the highest rate the last losses saw', () => {
    // 0.2/s after 1 s waits: held √(2 × 1 / 0.2) ≈ 3.16 s in all (not 20 waits), the climb
    // back 3 s of it; then followed at 0.2/s
    const moving = { driftPerSecond: 0.2, seenHighPerSecond: 12 };
    const followFromMs = Math.sqrt(10) * 1000;
    // half a second into the follow: e^0.1 above the loss rate
    expect(holding(followFromMs + 500, moving)).toBeCloseTo(10 * Math.exp(0.1));
    // past where it last stood the limit's speed would carry it on: it stops at 12/s
    expect(holding(followFromMs + 2000, moving)).toBeCloseTo(12);
    // static, the same moment is still in the hold at the loss rate
    expect(holding(followFromMs + 2000)).toBeCloseTo(10);
  });

  it('searches a moving limit that fell from a rate held before back up to that rate, past where the last losses saw it', () => {
    // seen moving slowly (0.02/s) since it fell from 20/s, held before: the last losses saw it
    // at 12/s at most. The search may find the gap to 20/s, so it climbs there within the
    // probe's periods instead of stopping at 12/s and crawling on at 0.02/s
    const fell = { driftPerSecond: 0.02, seenHighPerSecond: 12, heldHighPerSecond: 20 };
    expect(holding(4500, fell)).toBeCloseTo(10 * (1 + 1 / 8));
    expect(holding(6000, fell)).toBeCloseTo(20);
    // no higher than the rate held: reaching it is the controller's proof the limit is back
    expect(holding(12_000, fell)).toBeCloseTo(20);
  });

  it('follows a swinging limit from the restart at once when it fell from where it last stood', () => {
    // a swing remembered (`LimitDrift.swinging`) at 0.2/s, the loss rate well below the 15/s
    // the last losses saw: the pace climbs from the restart (9/s) at the limit's speed at
    // once, with no climb back and no hold, up to where the limit last stood
    const swing = { driftPerSecond: 0.2, seenHighPerSecond: 15, swinging: true };
    expect(holding(0, swing)).toBeCloseTo(9);
    expect(holding(1000, swing)).toBeCloseTo(9 * Math.exp(0.2));
    expect(holding(4000, swing)).toBeCloseTo(15);
    // no swing seen, or a loss rate within a fell-short share of the high: climb back and
    // hold first, still below the loss rate 1 s after the wait
    const single = { ...swing, swinging: false };
    const near = { ...swing, seenHighPerSecond: 11 };
    for (const state of [single, near]) expect(holding(1000, state)).toBeLessThan(10);
  });

  it('follows a swing proven over periods past where the last losses saw it', () => {
    // the last losses' high (15/s) is no rate the limit was seen at (slow start's count, a
    // probe's measure capped at it): a swing whose legs each moved more than a period's budget
    // over their span follows on at its speed past it, one whose measures only bounce stops there
    const swing = { driftPerSecond: 0.2, seenHighPerSecond: 15, swinging: true };
    const proven = { ...swing, swungOverPeriods: true };
    expect(holding(4000, proven)).toBeCloseTo(9 * Math.exp(0.8));
    expect(holding(6000, proven)).toBeCloseTo(9 * Math.exp(1.2));
    expect(holding(6000, swing)).toBeCloseTo(15);
  });
});

describe('climbRate priced by the work left', () => {
  // holding for 20 waits of 1 s (a refused probe costs its 429 and 10 requests' wait): the
  // climb is back at 3 s, holds to 20 s, and the cubic's probe tops out 3 s later
  const topMs = 23_000;

  it('probes as before when the work left is unknown or long enough to repay a refusal', () => {
    expect(holding(topMs)).toBeCloseTo(11);
    expect(holding(topMs, { requestsLeft: 1000 })).toBeCloseTo(11);
  });

  it('holds the loss rate when too little work is left for the probe to pay', () => {
    // a 10% gain over 100 requests is not worth a 429 and a wait of 10 requests at the
    // spacing the hold prices (20 waits for a probe of 10%)
    expect(holding(topMs, { requestsLeft: 100 })).toBeCloseTo(10);
    expect(holding(topMs + 10_000, { requestsLeft: 100 })).toBeCloseTo(10);
    // the climb back to the loss rate is not a probe: it goes whatever is left
    expect(holding(1500, { requestsLeft: 0 })).toBeCloseTo(holding(1500));
  });

  it('still probes toward a rate held before the limit fell, a gain that repays sooner', () => {
    const fell = { heldHighPerSecond: 20, requestsLeft: 100 };
    expect(holding(12_000, fell)).toBeGreaterThan(10.5);
  });
});
