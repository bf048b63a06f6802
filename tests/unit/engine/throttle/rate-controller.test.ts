import { describe, expect, it } from 'vitest';
import { RateController } from '../../../../core/engine/throttle/rate-controller';

const options = {
  initialRatePerSecond: 2,
  slowStartGrowthPerPeriod: 1,
  decreaseFactor: 0.9,
  recoveryPeriods: 3,
  recoveryRequests: 0,
  recoveryLossCosts: 0,
  minLossCostRequests: 5,
  probeGrowthPerPeriod: 0.2,
  fellShortShare: 0.85,
  lossFloorShare: 0.6,
};

/** A controller with a 1 s limit period that met a 429 at `lossRate` at time 0. */
function afterLoss(lossRate: number, extra: Partial<typeof options> = {}): RateController {
  const controller = new RateController(0, { ...options, ...extra });
  controller.setPeriod(1000);
  controller.seed(lossRate, 0);
  controller.onThrottle(0, 0);
  return controller;
}

/**
 * Reads the pace at `atMs` as the pacer does: the climb moves on to then first (a probe's
 * start is noted, a held rate reached is taken back), and `rate` is a pure read.
 */
function readPace(controller: RateController, atMs: number): number {
  controller.advanceTo(atMs);
  return controller.rate(atMs);
}

/**
 * A controller whose slow start at 18/s was refused with `measured` per second through, with a
 * 0.4 s period and a wait to 2.7 s.
 */
function slowStartRefused(measured: number): RateController {
  const controller = new RateController(0, {
    ...options,
    decreaseFactor: 0.96,
    recoveryRequests: 20,
    recoveryLossCosts: 20,
  });
  controller.setPeriod(400);
  controller.seed(18, 0);
  controller.onThrottle(200, 200, { succeededPerSecond: measured, pacedPerSecond: 18 });
  controller.holdFrom(2700);
  return controller;
}

describe('RateController', () => {
  it("searches between slow start's diluted measure and the pace it refused, without a 429 where the middle holds, and not above the floor", () => {
    // slow start at 18/s refused after 11/s got through (a measure its ramp dilutes), a 0.4 s
    // period and a 2.5 s wait: the limit lies between 11/s and 18/s
    const searching = (measured: number): { controller: RateController; paces: number[] } => {
      const controller = slowStartRefused(measured);
      const paces: number[] = [];
      for (let atMs = 2700; atMs <= 20_000; atMs += 50) paces.push(readPace(controller, atMs));
      return { controller, paces };
    };
    const middle = Math.sqrt(11 * 18);
    const diluted = searching(11);
    // the hold is priced by the middle's gain (a static hold, 20 waits, is 50 s): the pace
    // reaches the middle within the run and takes it as the loss rate, and goes no further
    // (what is left above it is narrower than a loss that falls short)
    expect(diluted.controller.lastLossRatePerSecond).toBeCloseTo(middle, 1);
    expect(Math.max(...diluted.paces)).toBeLessThanOrEqual(middle * 1.01);
    // a measure within a fell-short share of the pace leaves nothing to search: the pace holds
    // at the loss rate
    const close = searching(16);
    const held = close.controller.lastLossRatePerSecond ?? 0;
    expect(Math.max(...close.paces)).toBeLessThanOrEqual(held * 1.01);
    // a measure below the floor share of the pace leaves the floor (10.8/s) as the loss rate:
    // no measured bottom, and the middle would be a fixed share of the pace whatever the
    // limit (a 12/s limit's floor sat at 93% of it), so no search toward it
    const floored = searching(6);
    const floor = floored.controller.lastLossRatePerSecond ?? 0;
    expect(floor).toBeCloseTo(18 * 0.6, 1);
  });

  it("probes above a loss rate the floor set after a hold priced by the gap to the pace refused, not the plateau's", () => {
    // slow start at 18/s refused with 6/s through: the floor, 10.8/s, is the loss rate, a
    // share of the pace and not a rate the limit was seen at. The static hold (20 waits of
    // 2.5 s) would keep the pace there for 50 s; priced by the gap up to 18/s (67%, not the
    // cubic's 4%) it lasts 20 x 2.5 s x 4% / 67% = 3 s from the wait's end, the climb back
    // (1.85 s) included, and the probe then starts with the cubic's few percent
    const controller = slowStartRefused(6);
    const floor = controller.lastLossRatePerSecond ?? 0;
    expect(floor).toBeCloseTo(18 * 0.6, 1);
    const paces = new Map<number, number>();
    for (let atMs = 2700; atMs <= 12_000; atMs += 50) paces.set(atMs, readPace(controller, atMs));
    const upTo = (endMs: number): number =>
      Math.max(...[...paces].filter(([atMs]) => atMs <= endMs).map(([, pace]) => pace));
    expect(upTo(5700)).toBeLessThanOrEqual(floor * 1.01);
    expect(paces.get(7000) ?? 0).toBeLessThan(floor * 1.05);
    expect(paces.get(9000) ?? 0).toBeGreaterThan(floor * 1.1);
  });

  it('searches on while the middle seeks more than the static probe, even within a fell-short share of the loss rate', () => {
    // slow start at 18/s refused with 13.5/s through: the middle, 15.6/s, is within a
    // fell-short share (85%) of the loss rate but 15% above it, far more than the static
    // probe's 4% (decreaseFactor 0.96): the search tries it, priced by that gain, and then the
    // next middle, 16.8/s, 7% up; the one after (17.4/s) is within 4% and left to the static
    // climb, whose hold (20 waits of 2.5 s) outlasts the test
    const controller = slowStartRefused(13.5);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(13.5, 1);
    const paces: number[] = [];
    for (let atMs = 2700; atMs <= 60_000; atMs += 50) paces.push(readPace(controller, atMs));
    const first = Math.sqrt(13.5 * 18);
    const second = Math.sqrt(first * 18);
    expect(controller.lastLossRatePerSecond ?? 0).toBeCloseTo(second, 1);
    expect(Math.max(...paces)).toBeLessThanOrEqual(second * 1.01);
  });

  it('keeps the rate a search held when its next try is refused soon after reaching it', () => {
    // as above: the first middle (15.6/s) held a whole climb, then the second (16.8/s) was
    // reached and taken; a 429 just after, with a measure the waits diluted (12/s through):
    // the loss rate stays at the rate held, not that measure
    const controller = slowStartRefused(13.5);
    const first = Math.sqrt(13.5 * 18);
    const second = Math.sqrt(first * 18);
    let atMs = 2700;
    while ((controller.lastLossRatePerSecond ?? 0) < second * 0.99 && atMs < 60_000) {
      readPace(controller, atMs);
      atMs += 50;
    }
    expect(controller.lastLossRatePerSecond ?? 0).toBeCloseTo(second, 1);
    const pace = readPace(controller, atMs + 300);
    controller.onThrottle(atMs + 300, atMs + 300, {
      succeededPerSecond: 12,
      pacedPerSecond: pace,
    });
    expect(controller.lastLossRatePerSecond ?? 0).toBeCloseTo(first, 1);
  });

  it('goes on searching below a pace refused on the climb with less than it through, up to that pace', () => {
    // slow start at 18/s refused with 13.5/s through: the search's interval is 13.5-18/s. The
    // climb back is refused at 13.4/s with 9/s through (above the floor share, 8/s): a measure
    // the wait diluted, which says that pace ran above the limit, not that nothing below it
    // is worth a try. The loss rate is 9/s, and the search bisects 9/s to 13.4/s from there
    const controller = slowStartRefused(13.5);
    const refused = readPace(controller, 3500);
    expect(refused).toBeGreaterThan(13);
    controller.onThrottle(3500, 3500, { succeededPerSecond: 9, pacedPerSecond: refused });
    controller.holdFrom(4000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(9, 1);
    const paces: number[] = [];
    for (let atMs = 4000; atMs <= 20_000; atMs += 50) paces.push(readPace(controller, atMs));
    // the middle (11/s) held without a 429 becomes the loss rate, and no try goes past the pace
    // refused (the static hold, 20 waits of 0.5 s, would keep 9/s until 14 s and then probe 4%)
    const middle = Math.sqrt(9 * refused);
    expect(controller.lastLossRatePerSecond ?? 0).toBeGreaterThanOrEqual(middle * 0.99);
    expect(Math.max(...paces)).toBeLessThanOrEqual(refused * 1.01);
  });

  it('searches under a floor refused again with less than the floor share through, not under one that holds', () => {
    // slow start at 18/s refused with 6/s through (the floor, 10.8/s, is the loss rate), a
    // 0.4 s period and 2.5 s waits
    const controller = slowStartRefused(6);
    const floor = controller.lastLossRatePerSecond ?? 0;
    expect(floor).toBeCloseTo(18 * 0.6, 1);
    // the climb back to the floor is refused with 3/s through: the floor under it (6.48/s) is
    // a second step of 40% on a diluted cycle, the limit between it and the refused pace
    const refused = readPace(controller, 3500);
    expect(refused).toBeLessThanOrEqual(floor);
    controller.onThrottle(3500, 3500, { succeededPerSecond: 3, pacedPerSecond: refused });
    controller.holdFrom(6000);
    const second = controller.lastLossRatePerSecond ?? 0;
    expect(second).toBeCloseTo(refused * 0.6, 1);
    const paces: number[] = [];
    for (let atMs = 6000; atMs <= 30_000; atMs += 50) paces.push(readPace(controller, atMs));
    // the climb reaches the interval's middle (the static hold, 20 waits, is 50 s) and takes
    // it as the loss rate
    const middle = Math.sqrt(second * refused);
    expect(controller.lastLossRatePerSecond ?? 0).toBeCloseTo(middle, 1);
    expect(Math.max(...paces)).toBeLessThanOrEqual(middle * 1.01);
  });

  it('grows like slow start, once per limit period, until the first 429', () => {
    const controller = new RateController(0, options);
    controller.setPeriod(500);
    expect(controller.rate(0)).toBeCloseTo(2);
    expect(controller.rate(500)).toBeCloseTo(4);
    expect(controller.rate(1500)).toBeCloseTo(16);
    expect(controller.hasLearnedLimit).toBe(false);
  });

  it('restarts a little below the loss rate on a 429, once per burst', () => {
    const controller = afterLoss(10);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(10);
    expect(controller.rate(0)).toBeCloseTo(9);
    // requests sent before the decrease do not decrease again
    expect(controller.onThrottle(10, -5)).toBe(false);
    expect(controller.losses).toBe(1);
  });

  it('climbs back concave, flat around the loss rate, then probes above it faster and faster', () => {
    const controller = afterLoss(10);
    const at = (seconds: number): number => controller.rate(seconds * 1000);
    // concave: most of the way back within the first recovery period
    expect(at(1) - at(0)).toBeGreaterThan(at(2) - at(1));
    expect(at(1)).toBeGreaterThan(9.6);
    // flat around the loss rate
    expect(at(3)).toBeCloseTo(10);
    expect(Math.abs(at(4) - 10)).toBeLessThan(0.05);
    // convex: then above it, each period further than the last
    expect(at(6)).toBeCloseTo(11);
    expect(at(8) - at(7)).toBeGreaterThan(at(7) - at(6));
    expect(at(10)).toBeGreaterThan(at(6) * 1.2 ** 3.9);
  });

  it('a climb takes at least recoveryRequests requests, so short windows do not probe every second', () => {
    const fast = afterLoss(10);
    const slow = afterLoss(10, { recoveryRequests: 60 }); // 6 s at 10/s instead of 3 periods
    expect(fast.rate(3000)).toBeCloseTo(10);
    expect(slow.rate(3000)).toBeLessThan(9.9);
    expect(slow.rate(6000)).toBeCloseTo(10);
  });

  it('the climb starts when the wait after a 429 ends', () => {
    const controller = afterLoss(10);
    controller.holdFrom(5000);
    expect(controller.rate(4000)).toBeCloseTo(9);
    expect(controller.rate(8000)).toBeCloseTo(10);
  });

  it("after slow start's loss, a wait that renewed the whole budget takes the loss the repeated cycle would draw", () => {
    // 24 got through in 1.33 s at 18/s, then a 429 and a 3 s wait (a Retry-After of 45 s at
    // the bench's scale): restarting near 18/s repeats that cycle to the same 429, which
    // would measure 24 over 1.33 s and half a period of the wait, 12/s
    const cycle = { durationMs: 1333, successes: 24 };
    const dear = afterLoss(18);
    dear.setPeriod(1333);
    dear.holdFrom(3000, cycle);
    // that measure less half the restart's dip (5% here), and the pace restarts below it
    expect(dear.lastLossRatePerSecond).toBeCloseTo(12 * 0.95, 1);
    expect(readPace(dear, 3000)).toBeLessThan(11);
    expect(readPace(dear, 6000)).toBeLessThan(11.4);
    // a wait shorter than a period renewed part of the budget: the pace stays the loss rate
    const cheap = afterLoss(18);
    cheap.setPeriod(1333);
    cheap.holdFrom(700, cycle);
    expect(cheap.lastLossRatePerSecond).toBeCloseTo(18);
    // and only slow start's loss repeats its cycle so: later waits leave the loss rate alone
    dear.holdFrom(12_000, cycle);
    expect(dear.lastLossRatePerSecond).toBeCloseTo(12 * 0.95, 1);
  });

  it('takes that loss back when the first request after the wait is refused: the budget had not renewed', () => {
    // a window or log longer than the first cycle (the period) was still spent when the wait
    // ended: the repeated cycle's measure counted a renewal that did not happen, and the loss
    // stays slow start's while the wait escalates
    const cycle = { durationMs: 1333, successes: 24 };
    const refused = afterLoss(18);
    refused.setPeriod(1333);
    refused.holdFrom(3000, cycle);
    refused.refuteRenewal();
    refused.holdFrom(6000);
    expect(refused.lastLossRatePerSecond).toBeCloseTo(18);
    // a request after the wait got through: the loss taken stands
    const renewed = afterLoss(18);
    renewed.setPeriod(1333);
    renewed.holdFrom(3000, cycle);
    renewed.confirmRenewal();
    renewed.refuteRenewal();
    expect(renewed.lastLossRatePerSecond).toBeCloseTo(12 * 0.95, 1);
  });

  it("steps below the repeated cycle's rate at the first loss there: a rate never tried gets no second one", () => {
    const controller = afterLoss(18, { recoveryLossCosts: 20 });
    controller.setPeriod(1333);
    controller.holdFrom(3000, { durationMs: 1333, successes: 24 });
    const rate = controller.lastLossRatePerSecond ?? 0;
    // the pace held it a whole climb and is refused there: half the dip below, where a rate
    // the pace had been refused at keeps it once (a late timer, a bunched burst)
    readPace(controller, 10_000);
    controller.onThrottle(10_000, 10_000, { succeededPerSecond: rate, pacedPerSecond: rate });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(rate * 0.95);
  });

  it('spaces its probes by what a loss costs: it holds at the loss rate for recoveryLossCosts waits', () => {
    const cheap = afterLoss(10, { recoveryLossCosts: 10 });
    const dear = afterLoss(10, { recoveryLossCosts: 10 });
    cheap.holdFrom(100); // a 0.1 s wait: the 3-period cubic binds
    dear.holdFrom(1000); // a 1 s wait: hold at the loss rate until 10 s after the loss
    // the climb back to the loss rate is as quick either way
    expect(cheap.rate(3100)).toBeCloseTo(10);
    expect(dear.rate(4000)).toBeCloseTo(10);
    // the cheap one probes above it next; the dear one holds
    expect(cheap.rate(9000)).toBeGreaterThan(11);
    expect(dear.rate(9000)).toBeLessThan(10.05);
    expect(dear.rate(16_000)).toBeGreaterThan(10.5);
  });

  it('counts a loss as costing some requests however short its wait, so its probes stay rare', () => {
    // a 429 whose wait was 10 ms: at 20 costs a probe would come right after the 3 s climb,
    // and each draws a 429; costed at 5 requests (0.5 s at 10/s) the hold lasts 10 s
    const controller = afterLoss(10, { recoveryLossCosts: 20, minLossCostRequests: 5 });
    controller.holdFrom(10);
    expect(controller.rate(3100)).toBeCloseTo(10);
    expect(controller.rate(9500)).toBeLessThan(10.01);
    expect(controller.rate(14_000)).toBeGreaterThan(10.5);
  });

  it('scales with the limit period: a 60 s window climbs back in minutes, a 1 s one in seconds', () => {
    const short = afterLoss(10);
    const long = afterLoss(10);
    long.setPeriod(60_000);
    expect(short.rate(3000)).toBeCloseTo(10);
    expect(long.rate(3000)).toBeLessThan(9.2);
    expect(long.rate(180_000)).toBeCloseTo(10);
  });

  it('takes the loss rate from what got through when far less than the pace got through', () => {
    const controller = new RateController(0, options);
    controller.seed(20, 0);
    controller.onThrottle(0, 0, { succeededPerSecond: 14 });
    expect(controller.lastLossRatePerSecond).toBe(14);
    expect(controller.rate(0)).toBeCloseTo(12.6);
  });

  it('keeps the pace as the loss point when nearly all of it got through', () => {
    const controller = new RateController(0, options);
    controller.seed(20, 0);
    controller.onThrottle(0, 0, { succeededPerSecond: 18 });
    expect(controller.lastLossRatePerSecond).toBe(20);
  });

  /**
   * Slow start's loss at 20/s, then a measured 12/s, then a short wait (0.5 s) and the climb
   * back kept for 1.5 s (a period, longer than the wait) to a 429 at `pace`, with `cycle` per
   * second got through over the cycle (the wait counted) and `sent` since the wait ended.
   */
  function lossAfterShortWait(
    controller: RateController,
    atMs: number,
    cycle: number,
    sent: number,
  ): number {
    const pace = controller.rate(atMs);
    controller.onThrottle(atMs, atMs, {
      succeededPerSecond: cycle,
      pacedPerSecond: pace,
      deliveredSince: () => sent,
    });
    controller.holdFrom(atMs + 500);
    return pace;
  }
  /** Slow start from 20/s refused at once (period 1 s), its wait ended at `holdFromMs`. */
  function slowStartEnded(holdFromMs: number): RateController {
    const controller = new RateController(0, options);
    controller.setPeriod(1000);
    controller.seed(20, 0);
    controller.onThrottle(0, 0);
    controller.holdFrom(holdFromMs);
    return controller;
  }
  /** `afterMeasuredLoss`: the second loss's cycle measured `measure` per second. */
  function afterMeasuredLoss(measure = 12): RateController {
    const controller = slowStartEnded(2000);
    controller.onThrottle(3000, 3000, { succeededPerSecond: measure });
    controller.holdFrom(3500);
    return controller;
  }

  it('takes the pace that got through since the wait as the loss point, not the measure the wait diluted', () => {
    const controller = afterMeasuredLoss();
    // the climb back near 12/s got through (11.8/s since the wait), while the cycle's measure
    // counts the wait and reads 9.4/s: the pace, less half the restart's dip, is the loss rate
    const pace = lossAfterShortWait(controller, 5000, 9.4, 11.8);
    expect(pace).toBeGreaterThan(11.5);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(pace * 0.95);
    // what got through since the wait fell short too: the limit is below the pace, as before
    const fell = afterMeasuredLoss();
    lossAfterShortWait(fell, 5000, 9.4, 9.5);
    expect(fell.lastLossRatePerSecond).toBeCloseTo(9.4);
  });

  it('a pace kept for less than the renewal of the budget its wait renewed did not get through: the renewed count over the upper bound is the loss rate', () => {
    // the cycle since the 0.5 s wait spent the searched budget (20 requests), which renews
    // between 1.4 s and 2 s after a cycle begins: kept 1.5 s, the pace rode that budget
    // a loss at 5 s after the cycle spent the 20 the renewal was searched with
    const lossOnRenewedBudget = (upperMs: number) => {
      const controller = afterMeasuredLoss();
      const pace = controller.rate(5000);
      const bounds = { budget: 20, lowerMs: 1400, upperMs };
      controller.onThrottle(5000, 5000, {
        succeededPerSecond: 9.4,
        pacedPerSecond: pace,
        deliveredSince: () => 11.8,
        admitted: 20,
        renewal: bounds,
      });
      return { pace, lossRate: controller.lastLossRatePerSecond };
    };
    const riding = lossOnRenewedBudget(2000);
    // neither the pace (11.8/s got through on the renewed budget) nor the diluted 9.4/s: the
    // budget renews within 2 s, so 20 per 2 s is admitted
    expect(riding.pace).toBeGreaterThan(11);
    expect(riding.lossRate).toBeCloseTo(10);
    // kept past the upper bound (it renews within 1.45 s), the pace got through as before
    const past = lossOnRenewedBudget(1450);
    expect(past.lossRate).toBeCloseTo(past.pace * 0.95);
  });

  it("takes no loss rate above the rate of the renewal search's next try, and lowers it when that try is refused", () => {
    // a cycle at 12/s after slow start spent the 24 the renewal search bounds between 2 s and
    // 4 s: its measure (12/s, the count over a cycle slow start's fast restart cut short) is a
    // pace that budget may refuse; the search's next try, 2.83 s, is 8.5/s
    const bounds = { budget: 24, lowerMs: 2000, upperMs: 4000 };
    const controller = slowStartEnded(2000);
    controller.onThrottle(3000, 3000, {
      succeededPerSecond: 12,
      pacedPerSecond: 20,
      admitted: 24,
      renewal: bounds,
    });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(24 / Math.sqrt(2 * 4));
    // without bounds the measure rules, as before
    const unbounded = afterMeasuredLoss();
    expect(unbounded.lastLossRatePerSecond).toBeCloseTo(12);
    // that try refused (the budget had not renewed 2.83 s after its cycle began): the middle
    // of what is left, 2.83 s to 4 s
    controller.renewalRefused({ ...bounds, lowerMs: 2828 });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(24 / Math.sqrt(2.828 * 4));
    // nothing admitted yet bounds nothing
    controller.renewalRefused({ ...bounds, lowerMs: 3500, upperMs: Infinity });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(24 / Math.sqrt(2.828 * 4));
  });

  it('trusts a pace kept less than a period only when no faster than the last cycle measured', () => {
    // kept 0.9 s since the wait (less than the 1 s period) at up to the 12/s measured before
    const within = afterMeasuredLoss();
    const pace = lossAfterShortWait(within, 4400, 9.4, 11.8);
    expect(pace).toBeLessThanOrEqual(12);
    expect(within.lastLossRatePerSecond).toBeCloseTo(pace * 0.95);
    // the last cycle measured 10/s (the loss rate floored above it, at 0.6 of the pace): a pace
    // above that, kept less than a period, may be a renewed budget's burst; the measure rules
    const above = afterMeasuredLoss(10);
    const abovePace = lossAfterShortWait(above, 4400, 8, 11);
    expect(abovePace).toBeGreaterThan(10);
    expect(above.lastLossRatePerSecond).toBeCloseTo(8);
  });

  it('trusts a pace that got through neither after slow start nor twice in a row', () => {
    // slow start's loss is no measure: the next loss's pace is not taken over what got through
    const first = slowStartEnded(500);
    first.onThrottle(3000, 3000, {
      succeededPerSecond: 12,
      pacedPerSecond: 20,
      deliveredSince: () => 19,
    });
    expect(first.lastLossRatePerSecond).toBeCloseTo(12);
    // a second such loss right after the first: the pace keeps drawing 429s, the measure rules
    const twice = afterMeasuredLoss();
    lossAfterShortWait(twice, 5000, 9.4, 11.8);
    lossAfterShortWait(twice, 7000, 9.4, 11.8);
    expect(twice.lastLossRatePerSecond).toBeCloseTo(9.4);
  });

  it('lowers the loss rate by a bounded step per loss, and follows a limit that fell', () => {
    const controller = afterLoss(10);
    // a limit that fell to 2/s during the climb back: far less got through than the pace
    const paced = controller.rate(2000);
    controller.onThrottle(2000, 2000, { succeededPerSecond: 2 });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(0.6 * paced);
    controller.onThrottle(3000, 3000, { succeededPerSecond: 2 });
    expect(controller.lastLossRatePerSecond).toBeLessThan(4);
    expect(controller.losses).toBe(3);
  });

  it("a probe's loss never takes the loss rate below the rate the pace held before it", () => {
    const controller = afterLoss(10);
    // held 10/s for the whole climb, then probed above it: a 429 with a measure diluted by
    // the wait (6/s got through) says the limit is below the probe, not below 10/s
    const probing = controller.rate(6000);
    expect(probing).toBeGreaterThan(10.5);
    controller.onThrottle(6000, 6000, { succeededPerSecond: 6 });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(10);
    // a loss in the climb after it (the limit really fell) still steps down
    controller.onThrottle(7000, 7000, { succeededPerSecond: 2 });
    expect(controller.lastLossRatePerSecond).toBeLessThan(7);
  });

  /** Reads the pace every 100 ms up to `toMs`, as the pacer does (a probe's start is noted so). */
  function paceUntil(controller: RateController, toMs: number): number {
    let pace = 0;
    for (let atMs = 0; atMs <= toMs; atMs += 100) pace = readPace(controller, atMs);
    return pace;
  }

  it("a probe's loss takes the middle of the rate that held and what got through since the probe rose", () => {
    const controller = afterLoss(10);
    // held 10/s, then probed: past the cubic's top at 6 s, 20% a period above it
    const probing = paceUntil(controller, 7000);
    expect(probing).toBeGreaterThan(13);
    const asked: number[] = [];
    // 6/s over the cycle (the wait dilutes it: far below the pace), 12.1/s since the probe rose
    controller.onThrottle(7000, 7000, {
      succeededPerSecond: 6,
      deliveredSince: (fromMs) => {
        asked.push(fromMs);
        return 12.1;
      },
    });
    // measured from when the pace first rose above the loss rate, after the climb back
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThan(3000);
    expect(asked[0]).toBeLessThan(4000);
    // √(10 × 12.1): the limit lies between the two, and the next failed probe halves the rest
    expect(controller.lastLossRatePerSecond).toBeCloseTo(11);
  });

  it("a probe's loss sets no more than the pace that drew it, and keeps the rate that held", () => {
    const gentle = afterLoss(10);
    const paced = paceUntil(gentle, 6000);
    // nearly all got through (not short of the pace); a bucket's burst made the probe read high
    gentle.onThrottle(6000, 6000, { succeededPerSecond: 10, deliveredSince: () => 30 });
    expect(gentle.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(10 * paced));
    expect(gentle.lastLossRatePerSecond).toBeLessThan(paced);
    const nothing = afterLoss(10);
    paceUntil(nothing, 7000);
    nothing.onThrottle(7000, 7000, { succeededPerSecond: 6, deliveredSince: () => 8 });
    expect(nothing.lastLossRatePerSecond).toBeCloseTo(10);
  });

  /** Holds the loss rate for a whole climb from `fromMs`, then meets a 429 there: a plateau loss. */
  function plateauLoss(controller: RateController, fromMs: number, measured: number): number {
    const atMs = fromMs + 3000;
    const paced = controller.rate(atMs);
    controller.onThrottle(atMs, atMs, { succeededPerSecond: measured });
    controller.holdFrom(atMs + 500);
    return paced;
  }

  it('keeps the rate on one loss at the plateau, even with a measure the wait diluted', () => {
    // recoveryLossCosts 0: the pace sits at the loss rate right after the climb, nothing above
    const controller = afterLoss(10);
    controller.holdFrom(500);
    const paced = plateauLoss(controller, 500, 7);
    expect(paced).toBeCloseTo(10);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(10);
  });

  it('steps the loss rate down when losses at the plateau repeat, further each time', () => {
    const controller = afterLoss(10);
    controller.holdFrom(500);
    plateauLoss(controller, 500, 9.8);
    plateauLoss(controller, 4000, 9.8);
    // half the restart's dip (0.9 here: 5%), then twice that
    expect(controller.lastLossRatePerSecond).toBeCloseTo(9.5);
    plateauLoss(controller, 7500, 9.4);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(9.5 * 0.9);
    // the pace then sits at the lower rate after the climb
    expect(controller.rate(11_000 + 3000)).toBeCloseTo(9.5 * 0.9);
  });

  it('a loss low on the climb back ends a run of plateau losses', () => {
    const controller = afterLoss(10);
    controller.holdFrom(500);
    plateauLoss(controller, 500, 9.8);
    // a loss early on the climb, more than half the restart's dip (5% here) below the plateau:
    // the pace is the loss point, as before
    const climbing = controller.rate(3800);
    expect(climbing).toBeLessThan(9.5);
    controller.onThrottle(3800, 3800, { succeededPerSecond: climbing });
    controller.holdFrom(4300);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(climbing);
    // the next plateau loss is the first of a new run: the rate stays
    plateauLoss(controller, 4300, climbing);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(climbing);
  });

  it("the plateau's rate refused again on the climb back does not end the run: the next plateau loss steps down", () => {
    // a limit that dips below the plateau every few seconds (a consumer sharing the budget,
    // its use swinging): each dip refuses the plateau, then the climb back near it
    const controller = afterLoss(10);
    controller.holdFrom(500);
    plateauLoss(controller, 500, 9.8);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(10);
    // half way up the climb, within half the restart's dip (5% here) of the plateau
    const climbing = controller.rate(5000);
    expect(climbing).toBeGreaterThan(9.5);
    expect(climbing).toBeLessThan(10);
    controller.onThrottle(5000, 5000, { succeededPerSecond: climbing });
    controller.holdFrom(5500);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(climbing);
    // the next dip's plateau loss is the second of the run: half the dip down, not kept
    plateauLoss(controller, 5500, climbing);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(climbing * 0.95);
  });

  it('a loss on the climb back near the last loss rate, within a climb of requests, takes the loss rate below it', () => {
    // a climb takes 40 requests (4 s at 10/s); the pace comes back within half the restart's
    // dip (0.9 here: 5%) of 10/s and is refused again after 20: 10/s was refused twice in a row
    const controller = afterLoss(10, { recoveryRequests: 40 });
    controller.holdFrom(500);
    const climbing = controller.rate(2500);
    expect(climbing).toBeGreaterThan(9.5);
    // nearly all of it got through: the pace less half the dip, not the pace
    controller.onThrottle(2500, 2500, { succeededPerSecond: 0.99 * climbing });
    controller.holdFrom(3000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(climbing * 0.95);
    // so the next climb levels off below the rate refused twice
    expect(controller.rate(3000 + 4000)).toBeCloseTo(climbing * 0.95);
    // what got through, when lower still (though not short enough to rule on its own)
    const measured = afterLoss(10, { recoveryRequests: 40 });
    measured.holdFrom(500);
    const paced = measured.rate(2500);
    measured.onThrottle(2500, 2500, { succeededPerSecond: 0.9 * paced });
    expect(measured.lastLossRatePerSecond).toBeCloseTo(0.9 * paced);
    // refused after a climb's requests (a limit that moved): the pace is the loss point, as before
    const later = afterLoss(10, { recoveryRequests: 15 });
    later.holdFrom(500);
    const pace = later.rate(2500);
    later.onThrottle(2500, 2500, { succeededPerSecond: 0.99 * pace });
    expect(later.lastLossRatePerSecond).toBeCloseTo(pace);
  });

  it('a rate never held refused again past a climb of requests but within a limit period steps half the dip below the pace', () => {
    // a 2 s period holds 20 requests at 10/s; a climb's requests are 15
    const controller = afterLoss(10, { recoveryRequests: 15 });
    controller.setPeriod(2000);
    controller.holdFrom(500);
    // 17 requests into the climb, near the last loss rate, most of the pace through
    const paced = controller.rate(2200);
    expect(paced).toBeGreaterThan(9.5);
    controller.onThrottle(2200, 2200, { succeededPerSecond: 0.9 * paced });
    controller.holdFrom(2700);
    // half the dip (0.9 here: 5%) below the pace, not the pace, nor the diluted measure
    expect(controller.lastLossRatePerSecond).toBeCloseTo(paced * 0.95);
    // past the period (21 requests) the pace stays the loss point, as a limit that moved
    const later = afterLoss(10, { recoveryRequests: 15 });
    later.setPeriod(2000);
    later.holdFrom(500);
    const pace = later.rate(2600);
    later.onThrottle(2600, 2600, { succeededPerSecond: 0.9 * pace });
    expect(later.lastLossRatePerSecond).toBeCloseTo(pace);
  });

  it('a rate refused again within a period after a loss that followed a rate held a whole climb stays the loss point', () => {
    // the plateau held 10/s a whole climb, then a dip refused it: the limit moved
    const controller = afterLoss(10, { recoveryRequests: 15 });
    controller.setPeriod(2000);
    controller.holdFrom(500);
    controller.onThrottle(7000, 7000, { succeededPerSecond: 9.8 });
    controller.holdFrom(7500);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(10);
    const paced = controller.rate(9200);
    expect(paced).toBeGreaterThan(9.5);
    controller.onThrottle(9200, 9200, { succeededPerSecond: 0.9 * paced });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(paced);
  });

  it('a rate refused on two climbs in a row past a climb of requests, each letting less through, takes what got through', () => {
    // a sliding log at ~8.8/s under a pace near 10/s: the climb back (3 s) never holds, and
    // each loss comes after more requests than `refusedAgainRate` looks at
    const controller = afterLoss(10, { recoveryRequests: 15 });
    controller.holdFrom(500);
    const first = controller.rate(2500);
    expect(first).toBeGreaterThan(9.5);
    // the first such climb: 8.8/s got through, too close to the pace to rule on its own
    controller.onThrottle(2500, 2500, { succeededPerSecond: 8.8 });
    controller.holdFrom(3000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(first);
    // the second one, at about the same rate, with as little through: the limit is there
    const second = controller.rate(5000);
    expect(second).toBeGreaterThan(first * 0.95);
    controller.onThrottle(5000, 5000, { succeededPerSecond: 8.8 });
    controller.holdFrom(5500);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(8.8);
    // so the next climb levels off at it, not at the pace refused twice
    expect(readPace(controller, 5500 + 3000)).toBeCloseTo(8.8);
    // a climb that let the pace through is no such evidence: the pace stays the loss point
    const through = afterLoss(10, { recoveryRequests: 15 });
    through.holdFrom(500);
    through.onThrottle(2500, 2500, { succeededPerSecond: 8.8 });
    through.holdFrom(3000);
    const pace = through.rate(5000);
    through.onThrottle(5000, 5000, { succeededPerSecond: pace });
    expect(through.lastLossRatePerSecond).toBeCloseTo(pace);
  });

  /** Held 10/s, then the limit halved (another tool): a plateau loss, then a fall to ~6/s. */
  function afterFall(): RateController {
    // what a loss costs spaces the probes of a static limit (recoveryLossCosts waits)
    const controller = afterLoss(10, { recoveryLossCosts: 20 });
    controller.holdFrom(1000);
    controller.onThrottle(12_000, 12_000, { succeededPerSecond: 10 });
    controller.holdFrom(13_000);
    controller.onThrottle(14_000, 14_000, { succeededPerSecond: 5 });
    controller.holdFrom(15_000);
    return controller;
  }

  /** The first time from `fromMs` (100 ms steps) at which `test` holds. */
  function firstTime(fromMs: number, test: (atMs: number) => boolean): number | undefined {
    for (let atMs = fromMs; atMs < fromMs + 60_000; atMs += 100) if (test(atMs)) return atMs;
    return undefined;
  }

  it('climbs back to a rate held before the limit fell soon, then holds there as at a static limit', () => {
    const controller = afterFall();
    expect(controller.lastLossRatePerSecond).toBeLessThan(7);
    // the moving limit is probed soon after the climb back: the held rate is reached without
    // a 429 and becomes the loss rate again
    const backMs = firstTime(15_000, (atMs) => {
      readPace(controller, atMs);
      return (controller.lastLossRatePerSecond ?? 0) >= 10;
    });
    expect(backMs).toBeLessThan(30_000);
    // it holds there for recoveryLossCosts waits, not growing at the speed the limit fell
    for (const laterMs of [5000, 10_000, 15_000]) {
      expect(controller.rate((backMs ?? 0) + laterMs)).toBeLessThanOrEqual(10.001);
    }
  });

  it('takes a rate held back as the loss rate only once the pace stood above the middle for a limit period', () => {
    // the probe's climb toward the 10/s held before the fall reaches it within a few tenths of
    // a second of passing the middle between the loss rate and it: a budget the wait renewed
    // (a window's count) carries such a pace for up to a period, and a 429 sent then arrives
    // after the pace touched 10/s. The limit is back only when the pace stood above the middle
    // for a period; until then the pace waits at the held rate, no higher
    const controller = afterFall();
    const lossRate = controller.lastLossRatePerSecond ?? 0;
    const middle = Math.sqrt(lossRate * 10);
    const aboveMiddleMs = firstTime(15_000, (atMs) => readPace(controller, atMs) >= middle) ?? 0;
    const reachedMs = firstTime(aboveMiddleMs, (atMs) => readPace(controller, atMs) >= 9.999) ?? 0;
    expect(reachedMs - aboveMiddleMs).toBeLessThan(1000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(lossRate);
    const backMs = firstTime(reachedMs, (atMs) => {
      expect(readPace(controller, atMs)).toBeLessThanOrEqual(10.001);
      return (controller.lastLossRatePerSecond ?? 0) >= 10;
    });
    expect(backMs).toBeGreaterThanOrEqual(aboveMiddleMs + 1000);
    expect(backMs).toBeLessThan(aboveMiddleMs + 1200);
  });

  /**
   * A limit of 12/s measured 1% high at slow start's end (12.14/s: its 429s fell 1.98 s apart
   * in 2 s windows), then a 429 at that pace, which got through since its wait: the loss rate
   * steps a shade below it, and the next 429 comes less than a climb later at that rate, with
   * what got through close to the pace (`lastLoss`: the limit halving then, the 429s after it
   * measuring 9.7/s and 5.5/s). Period 1.6 s, climbs of 20 requests, holds of 20 waits.
   */
  function measuredHighThenFell(lastLoss: { atMs: number; sent: number }): RateController {
    const controller = new RateController(0, {
      ...options,
      decreaseFactor: 0.96,
      recoveryRequests: 20,
      recoveryLossCosts: 20,
    });
    controller.setPeriod(1600);
    controller.seed(18, 0);
    controller.onThrottle(0, 0);
    controller.holdFrom(667);
    controller.onThrottle(2000, 2000, {
      succeededPerSecond: 12.14,
      pacedPerSecond: readPace(controller, 2000),
    });
    controller.holdFrom(2700);
    const pace = readPace(controller, 6700);
    controller.onThrottle(6700, 6700, {
      succeededPerSecond: 10.1,
      pacedPerSecond: pace,
      deliveredSince: () => pace,
    });
    controller.holdFrom(6767);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(pace * 0.98);
    const at = lastLoss.atMs;
    controller.onThrottle(at, at, {
      succeededPerSecond: lastLoss.sent,
      pacedPerSecond: readPace(controller, at),
      deliveredSince: () => lastLoss.sent,
    });
    controller.holdFrom(at + 200);
    controller.onThrottle(12_000, 12_000, {
      succeededPerSecond: 9.7,
      pacedPerSecond: readPace(controller, 12_000),
    });
    controller.holdFrom(13_000);
    controller.onThrottle(14_200, 14_200, {
      succeededPerSecond: 5.5,
      pacedPerSecond: readPace(controller, 14_200),
    });
    controller.holdFrom(14_900);
    return controller;
  }

  it('a rate kept across a loss whose pace got through is proven by both climbs: a fall from it is probed back soon', () => {
    // the pace stood at about 12/s from 2.7 s to 10.7 s, one 429 that took the pace as the
    // loss point aside; 3.9 s since that 429's wait is less than a climb (4.8 s), the 8 s since
    // the climb before it are more: the limit fell from a rate held, and may come back
    const kept = measuredHighThenFell({ atMs: 10_700, sent: 11.4 });
    expect(kept.fellFromPerSecond).toBeGreaterThan(10);
    // the climb back to it does not wait out the static hold (20 waits) first
    const backMs = firstTime(14_900, (atMs) => readPace(kept, atMs) >= 10);
    // what got through over that last cycle fell short of the pace: the rate was not kept,
    // and the fall is held as a static limit's loss rate is
    const fellShort = measuredHighThenFell({ atMs: 10_700, sent: 9.5 });
    expect(fellShort.fellFromPerSecond).toBe(0);
    const staticMs = firstTime(14_900, (atMs) => readPace(fellShort, atMs) >= 10);
    expect(backMs).toBeLessThan(staticMs ?? Infinity);
  });

  it('reading the pace changes nothing: the climb moves on only by advanceTo', () => {
    // the climb of the test above, read but never moved on: the held rate is not taken back
    const read = afterFall();
    const lowered = read.lastLossRatePerSecond;
    for (let atMs = 15_000; atMs <= 45_000; atMs += 100) read.rate(atMs);
    expect(read.lastLossRatePerSecond).toBe(lowered);
    // moved on to the same moments, the climb takes the held rate back
    const moved = afterFall();
    for (let atMs = 15_000; atMs <= 45_000; atMs += 100) moved.advanceTo(atMs);
    expect(moved.lastLossRatePerSecond).toBeCloseTo(10);
    // a probe's start is noted by advanceTo only: read without it, the probe's measure starts
    // at the loss that ends it (onThrottle moves the climb on itself), not when the pace rose
    const probeFrom = (walk: (controller: RateController, atMs: number) => void): number[] => {
      const controller = afterLoss(10);
      for (let atMs = 0; atMs <= 7000; atMs += 100) walk(controller, atMs);
      const asked: number[] = [];
      controller.onThrottle(7000, 7000, {
        succeededPerSecond: 6,
        deliveredSince: (fromMs) => {
          asked.push(fromMs);
          return 12.1;
        },
      });
      return asked;
    };
    expect(probeFrom((controller, atMs) => controller.rate(atMs))).toEqual([7000]);
    const walked = probeFrom((controller, atMs) => controller.advanceTo(atMs));
    expect(walked[0]).toBeLessThan(4000);
  });

  it('a loss on the way back near a rate held before the limit fell ends the move too', () => {
    const controller = afterFall();
    const nearMs = firstTime(15_000, (atMs) => readPace(controller, atMs) >= 9) ?? 0;
    const paced = controller.rate(nearMs);
    controller.onThrottle(nearMs, nearMs, { succeededPerSecond: paced });
    controller.holdFrom(nearMs + 1000);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(paced);
    // probed again only after a hold its small gap to the held rate allows, then slowly
    expect(controller.rate(nearMs + 8000)).toBeLessThan(paced * 1.01);
  });

  it("a swinging limit's low held for a whole climb does not end the move when the pace climbs back to it", () => {
    // held 6/s a whole climb (a background consumer at its peak), then the limit rose: the
    // probe got to 10/s before a 429 there; then it swung down again, two falls after short
    // waits to ~3.4/s, well below the 6/s held. The held rate is the swing's low, not where a
    // limit that fell stood before it: reaching it again is no sign the move is over, and the
    // pace goes on at the limit's speed toward the 10/s the losses saw, not held at 6/s
    const controller = new RateController(0, { ...options, recoveryLossCosts: 20 });
    controller.setPeriod(1000);
    controller.seed(6, 0);
    controller.onThrottle(0, 0);
    controller.holdFrom(100);
    const risenMs = firstTime(100, (atMs) => readPace(controller, atMs) >= 10) ?? 0;
    controller.onThrottle(risenMs, risenMs, { succeededPerSecond: 9.8 });
    controller.holdFrom(risenMs + 100);
    const high = controller.lastLossRatePerSecond ?? 0;
    controller.onThrottle(risenMs + 1200, risenMs + 1200, { succeededPerSecond: 3 });
    controller.holdFrom(risenMs + 1300);
    controller.onThrottle(risenMs + 2400, risenMs + 2400, { succeededPerSecond: 2 });
    controller.holdFrom(risenMs + 2500);
    const low = controller.lastLossRatePerSecond ?? 0;
    expect(low).toBeLessThan(controller.fellFromPerSecond);
    const waitEndMs = risenMs + 2500;
    for (let atMs = waitEndMs; atMs <= waitEndMs + 3000; atMs += 100) readPace(controller, atMs);
    expect(controller.rate(waitEndMs + 3000)).toBeGreaterThan(high * 0.9);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(low);
  });

  it('a fall after a rate kept for a while is movement: the climb back is no longer than its probe spacing', () => {
    // a 3 s period (a static climb back of 9 s); 18/s, then a measured fall to about 10/s after
    // a wait of `secondWaitMs`
    const fell = (thirdLossMs: number, secondWaitMs = 3000): RateController =>
      fallAfterWaits(1000, { secondWaitMs, thirdLossMs }).controller;
    // ~10/s kept 7 s after its 3 s wait (over a period, 20 requests and the wait): the limit
    // moved, so it is probed again within √(2C / d)
    const moving = fell(13_000);
    const movedTo = moving.lastLossRatePerSecond ?? 0;
    expect(moving.rate(14_000 + 12_000)).toBeGreaterThan(movedTo * 1.2);
    // kept 2 s only after a wait of a whole period (a fresh budget's burst carries that long,
    // and a probe costs a period): convergence from slow start, held flat through the static
    // climb and beyond (its measure above the floor share of the pace: one below it, at a
    // rate a short measure set, would leave an interval to search, `searchTarget`)
    const converging = fallAfterWaits(1000, {
      secondWaitMs: 3000,
      thirdLossMs: 8000,
      thirdMeasured: 7,
    }).controller;
    const convergedTo = converging.lastLossRatePerSecond ?? 0;
    expect(converging.rate(9000 + 9000)).toBeLessThanOrEqual(convergedTo * 1.01);
    expect(converging.rate(9000 + 20_000)).toBeLessThanOrEqual(convergedTo * 1.01);
  });

  it('a fall whose cycle admitted fewer than a fell-short share of the last one, after as long a wait and at no faster a pace, is movement', () => {
    // slow start at 18/s refused, a 1 s wait, then a cycle from 16.2/s admitting 30 before its
    // 429 (measure 10/s); a 3 s wait (a whole period), and a cycle at ~9-10/s, never faster
    // than the last one's restart, refused at 8 s with 7/s through: kept 2 s only, so no rate
    // kept long enough proves it, and as convergence it is held flat (test above)
    const run = (admitted: number): RateController => {
      const controller = slowStartRefusedAt18();
      controller.holdFrom(1000);
      controller.onThrottle(3000, 3000, { succeededPerSecond: 10, admitted: 30 });
      controller.holdFrom(6000);
      controller.onThrottle(8000, 8000, { succeededPerSecond: 7, admitted });
      controller.holdFrom(9000);
      return controller;
    };
    // 20 admitted of the 30 the same budget let through before, renewed as fully and drained
    // no faster: the budget the wait renews is a share of what it was (another tool took it)
    const moved = run(20);
    const fellTo = moved.lastLossRatePerSecond ?? 0;
    expect(moved.rate(9000 + 9000)).toBeGreaterThan(fellTo * 1.2);
    // 28 of 30: the same budget, measured at a lower pace: held as a static limit
    const same = run(28);
    const sameAt = same.lastLossRatePerSecond ?? 0;
    expect(same.rate(9000 + 9000)).toBeLessThanOrEqual(sameAt * 1.01);
  });

  it('a fall after a wait shorter than half a period is movement, however briefly the rate was kept', () => {
    // the same fall, kept 2 s only, but after a 1 s wait (a third of the 3 s period): a probe
    // costs less than a period, so the fall is taken for movement and probed within √(2C / d)
    // instead of after the static hold of 20 waits
    const { controller, low: fellTo } = fallAfterWaits(1000);
    expect(controller.rate(7000 + 9000)).toBeGreaterThan(fellTo * 1.2);
  });

  it('follows a moving limit back up at its speed no higher than the last losses saw it', () => {
    // a limit seen falling fast (18 -> ~10 -> ~6 within 3 s, after 1 s waits of a 3 s period):
    // the pace climbs back at that speed, but stops at the highest recent loss rate instead of
    // going on at the fall's speed into the next 429
    const { controller, high, low } = fallAfterWaits(1000);
    expect(low).toBeLessThan(high * 0.85);
    // it gets back to the earlier loss rate within about 7 s of the wait (6.5 s at this speed)...
    expect(controller.rate(7000 + 7000)).toBeGreaterThanOrEqual(high * 0.99);
    // ...and stays there while the fall's speed alone would carry it on past (about 13/s by
    // 16 s): the cubic's search above the rate continues from there, not the fall's speed
    const reached = controller.rate(7000 + 7000);
    expect(controller.rate(7000 + 9000)).toBeLessThanOrEqual(reached * 1.001);
    expect(reached).toBeLessThanOrEqual(high * 1.001);
  });

  it("past the last losses' highest rate, a moving limit's search rises no faster than the limit moved", () => {
    // the same fall after waits of 100 ms: the moving limit's climb back is short (√(2C / d)),
    // and the cubic's search, which compounds per climb-period, would multiply the pace by
    // more than four within 3 s of reaching the earlier rate
    const { controller, high } = fallAfterWaits(100);
    // back at the earlier rate within 4 s of the wait, and held there a moment
    expect(controller.rate(9500)).toBeGreaterThanOrEqual(high * 0.99);
    expect(controller.rate(10_000)).toBeLessThanOrEqual(high * 1.001);
    // then rising at about the speed of the fall (ln(10 / 6) over 3 s), not by half per second
    expect(controller.rate(12_000)).toBeLessThan(high * 1.6);
    expect(controller.rate(12_000)).toBeGreaterThan(high * 1.1);
  });

  it('above every rate the limit was seen at, the climb does not move on while a window holds the pace below it', () => {
    // the fall after 100 ms waits: back at the earlier rate (~10/s) by 9.5 s, then rising at
    // the fall's speed. A window (a fitted fixed window, the headers') holds the pace at ~9/s
    // from 9.5 s to 19.5 s: the search above ~10/s sent nothing, so it has not gone on
    const free = fallAfterWaits(100);
    const held = fallAfterWaits(100);
    for (let atMs = 7000; atMs <= 19_500; atMs += 100) {
      free.controller.paceAt(atMs, (rate) => rate);
      held.controller.paceAt(atMs, (rate) => (atMs < 9500 ? rate : Math.min(rate, 9)));
    }
    // unheld, ten seconds at the fall's speed multiply the pace many times over
    expect(free.controller.rate(19_500)).toBeGreaterThan(free.high * 3);
    // held, the climb stood where the limit was last seen while the window held the pace
    expect(held.controller.rate(19_500)).toBeLessThanOrEqual(held.high * 1.05);
    expect(held.controller.rate(19_500)).toBeGreaterThanOrEqual(held.high * 0.99);
    // and once the pace is its own again the search goes on from there, at the same speed
    for (let atMs = 19_600; atMs <= 22_000; atMs += 100)
      held.controller.paceAt(atMs, (rate) => rate);
    expect(held.controller.rate(22_000)).toBeGreaterThan(held.high * 1.1);
    expect(held.controller.rate(22_000)).toBeLessThan(held.high * 1.6);
  });

  it('the pace a reading builds already leaves out the held stretch that reading ends', () => {
    // the hold of the test above, its last held reading at 19.5 s; the next reading comes 2 s
    // later (nothing paced in between) with the window's hold gone. That stretch began held
    // above every rate seen, so it is out of the climb before the rate is read: the pace is
    // built from a climb that stood still, not from two more seconds at the fall's speed
    const held = fallAfterWaits(100);
    for (let atMs = 7000; atMs <= 19_500; atMs += 100) {
      held.controller.paceAt(atMs, (rate) => (atMs < 9500 ? rate : Math.min(rate, 9)));
    }
    const pace = held.controller.paceAt(21_500, (rate) => rate);
    expect(pace).toBeLessThanOrEqual(held.high * 1.05);
    // the rate the next reading sees at the same moment is the one the pace was built from
    expect(held.controller.rate(21_500)).toBe(pace);
  });

  /** The fall of the tests above (18 -> ~10 -> ~6 within 3 s, 1 s waits, 3 s period), then a
   * climb back that holds the fall's rate a whole climb and rises past it, read every 100 ms. */
  function followingBackUp(toMs: number): {
    controller: RateController;
    high: number;
    low: number;
  } {
    const { controller, high, low } = fallAfterWaits(1000);
    for (let atMs = 7000; atMs <= toMs; atMs += 100) readPace(controller, atMs);
    return { controller, high, low };
  }

  it("a probe's loss on a limit coming back up takes what got through over the last period", () => {
    // a swinging background consumer: the pace follows the limit back up from ~6/s and draws a
    // 429 above it. The probe's measure averages the ramp (7/s), its middle with the ~6/s held
    // while the limit stood low reads 6.5/s; the last period got 9.5/s through, below the ~10/s
    // the limit stood at before it fell: the loss rate is 9.5/s
    const { controller, high } = followingBackUp(16_500);
    const paced = controller.rate(16_500);
    expect(paced).toBeGreaterThan(9.5);
    const asked: number[] = [];
    controller.onThrottle(16_500, 16_500, {
      succeededPerSecond: 5,
      deliveredSince: (fromMs) => {
        asked.push(fromMs);
        return fromMs >= 16_500 - 3000 ? 9.5 : 7;
      },
    });
    expect(asked).toContain(16_500 - 3000);
    expect(high).toBeGreaterThan(9.5);
    expect(controller.lastLossRatePerSecond).toBeCloseTo(9.5);
  });

  it('a probe that got through more than the limit last stood at rode a burst: the middle rules', () => {
    // the same climb, but 12/s got through since the probe rose, above the ~10/s the last
    // losses saw (a token bucket refilled while the limit stood low)
    const { controller, high, low } = followingBackUp(16_500);
    const paced = controller.rate(16_500);
    expect(high).toBeLessThan(12);
    controller.onThrottle(16_500, 16_500, { succeededPerSecond: 5, deliveredSince: () => 12 });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(low * Math.min(paced, 12)));
  });

  /** 18/s, then falls after 1 s waits (a third of the 3 s period) to ~10/s and, 8 s later, to
   * 7/s: a limit seen moving slowly (less than a loss that falls short per period) whose ~10/s
   * was never held a whole climb. The pace then holds 7/s a whole climb and follows back up. */
  function slowFallThenClimb(): { controller: RateController; high: number; atMs: number } {
    const { controller, high } = fallAfterWaits(1000, { thirdLossMs: 12_000, thirdMeasured: 7 });
    let atMs = 13_000;
    while (atMs < 80_000 && readPace(controller, atMs) <= high * 1.05) atMs += 100;
    return { controller, high, atMs };
  }

  it("a probe's loss past every rate a slowly moving limit was seen at takes what got through over the last period", () => {
    // the limit came back (another tool stopped): the pace passed the ~10/s the last losses saw
    // and drew a 429 at ~10.9/s. Since it rose from the 7/s held, 7.5/s got through (the long
    // ramp from the low), the last period 9.5/s: the loss rate is 9.5/s, not the middle of 7
    // and 7.5 (7.2/s), which held the pace near the old low for a whole static hold again
    const { controller, high, atMs } = slowFallThenClimb();
    const paced = readPace(controller, atMs);
    expect(paced).toBeGreaterThan(high);
    controller.onThrottle(atMs, atMs, {
      succeededPerSecond: 5,
      deliveredSince: (fromMs) => (fromMs >= atMs - 3000 ? 9.5 : 7.5),
    });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(9.5);
  });

  it("a probe's loss below every rate a slowly moving limit was seen at keeps the middle", () => {
    // the same limit, but the probe drew its 429 at 8/s, below the ~10/s the losses saw: the
    // limit need not have moved since, and the probe's middle rules
    const { controller } = slowFallThenClimb();
    let atMs = 13_000;
    while (readPace(controller, atMs) <= 8) atMs += 100;
    const paced = readPace(controller, atMs);
    controller.onThrottle(atMs, atMs, {
      succeededPerSecond: 5,
      deliveredSince: (fromMs) => (fromMs >= atMs - 3000 ? 8 : 7.5),
    });
    expect(controller.lastLossRatePerSecond).toBeCloseTo(Math.sqrt(7 * Math.min(paced, 7.5)));
  });

  it('the paced rate, not the controller rate, is the loss point when a window held the pace lower', () => {
    const controller = new RateController(0, options);
    controller.seed(20, 0);
    controller.onThrottle(0, 0, { pacedPerSecond: 8 });
    expect(controller.lastLossRatePerSecond).toBe(8);
  });

  it('never learns a loss rate below what got through, whatever pace the window showed at that instant', () => {
    // a nearly spent header window paces its last requests at 2/s, while 12/s got through:
    // the requests that drew the loss were sent at least that fast
    const controller = new RateController(0, options);
    controller.seed(17, 0);
    controller.onThrottle(0, 0, { succeededPerSecond: 12, pacedPerSecond: 2 });
    expect(controller.lastLossRatePerSecond).toBe(12);
    expect(controller.rate(0)).toBeCloseTo(10.8);
  });

  it('ignores seeds after a loss is learned', () => {
    const controller = afterLoss(10);
    const before = controller.rate(100);
    controller.seed(100, 100);
    expect(controller.rate(100)).toBe(before);
  });
});

/** Slow start at 18/s refused at 0 ms; period 3 s, climbs of 20 requests, holds of 20 waits. */
function slowStartRefusedAt18(): RateController {
  const controller = new RateController(0, {
    ...options,
    recoveryRequests: 20,
    recoveryLossCosts: 20,
  });
  controller.setPeriod(3000);
  controller.seed(18, 0);
  controller.onThrottle(0, 0);
  return controller;
}

/**
 * A limit seen falling fast: slow start at 18/s, then losses at 3 s and at `thirdLossMs` (6 s)
 * measuring ~10/s (`high`) and ~6/s (`low`, the third measuring `thirdMeasured`, 5/s), each
 * followed by a wait of `waitMs` (the second by `secondWaitMs` when given); period 3 s, climbs
 * of 20 requests, holds of 20 waits.
 */
function fallAfterWaits(
  waitMs: number,
  { secondWaitMs = waitMs, thirdLossMs = 6000, thirdMeasured = 5 } = {},
): { controller: RateController; high: number; low: number } {
  const controller = slowStartRefusedAt18();
  controller.holdFrom(waitMs);
  controller.onThrottle(3000, 3000, { succeededPerSecond: 10 });
  controller.holdFrom(3000 + secondWaitMs);
  const high = controller.lastLossRatePerSecond ?? 0;
  controller.onThrottle(thirdLossMs, thirdLossMs, { succeededPerSecond: thirdMeasured });
  controller.holdFrom(thirdLossMs + waitMs);
  return { controller, high, low: controller.lastLossRatePerSecond ?? 0 };
}
