import { describe, expect, it } from 'vitest';
import { LimitDrift } from '../../../../core/engine/throttle/limit-drift';

describe('LimitDrift', () => {
  it('sees no movement in a static limit, nor in a pace still coming down to it', () => {
    const drift = new LimitDrift();
    // slow start's overshoot: each measure below the last, none held for a climb
    drift.onLoss(3_000, 11.4, false, true);
    drift.onLoss(6_000, 8.1, false, true);
    drift.onLoss(9_000, 6.1, false, true);
    expect(drift.perSecond).toBe(0);
    // then plateau losses at the same rate, each held
    drift.onLoss(40_000, 6.1, true, false);
    drift.onLoss(80_000, 6.0, true, false);
    expect(drift.perSecond).toBeLessThan(0.001);
  });

  it('measures a limit that fell below a rate the pace held, per second', () => {
    const drift = new LimitDrift();
    drift.onLoss(4_000, 12, false, true);
    drift.onLoss(12_000, 12, true, false); // held 12/s for 8 s: the limit stood there
    drift.onLoss(14_000, 6, false, true); // then half of it, 2 s later
    expect(drift.perSecond).toBeCloseTo(Math.log(2) / 2, 5);
  });

  it('a loss a few percent below a rate held is that limit measured again, no movement', () => {
    const drift = new LimitDrift();
    drift.onLoss(2_900, 10.73, false, true);
    // 10.73/s held for a climb (a limit of 10.45/s measured a shade high), then a 429 that
    // measures 9.8/s: within the held rate's 10%, the same limit, not a fall
    drift.onLoss(4_000, 10.73, true, false);
    drift.onLoss(7_100, 9.8, false, true);
    expect(drift.perSecond).toBe(0);
    // a measure well below the held rate is a fall
    const fell = new LimitDrift();
    fell.onLoss(2_900, 10.73, false, true);
    fell.onLoss(4_000, 10.73, true, false);
    fell.onLoss(7_100, 8.5, false, true);
    expect(fell.perSecond).toBeCloseTo(Math.log(10.73 / 8.5) / 3.1, 5);
  });

  it('measures a fall from a measured rate the pace kept long enough, over the falls that follow', () => {
    const drift = new LimitDrift();
    drift.onLoss(6_300, 6.35, false, true);
    // 6.35/s got through for longer than a period, a climb's requests and the wait before it,
    // then a measured loss well below it: the limit fell, though no rate was held a whole climb
    drift.onLoss(13_100, 5.3, false, true, true);
    // the step goes on (the next loss, soon after, lower still): its speed is the whole fall's
    drift.onLoss(15_500, 3.09, false, true);
    expect(drift.perSecond).toBeCloseTo(Math.log(6.35 / 3.09) / 9.2, 5);
  });

  it('reads a step the later losses see standing as its whole fall over the time it stood', () => {
    const drift = new LimitDrift();
    drift.setPeriod(1_000);
    drift.onLoss(4_000, 12, false, true);
    drift.onLoss(12_000, 12, true, false); // held 12/s: the limit stood there
    drift.onLoss(14_000, 6, false, true); // halved 2 s later
    expect(drift.perSecond).toBeCloseTo(Math.log(2) / 2, 5);
    // a probe's loss at the new level within a period of the fall met the budget the fall
    // left: it says nothing of the limit standing there
    drift.onLoss(14_500, 6.2, false, true);
    expect(drift.perSecond).toBeCloseTo(Math.log(2) / 2, 5);
    // one 4 s later finds it still there: the step took 2 s and has stood since
    drift.onLoss(18_000, 6.1, false, true);
    expect(drift.perSecond).toBeCloseTo(Math.log(2) / 6, 5);
  });

  it('a measured fall from a rate kept only as long as a renewed budget carries it is no movement', () => {
    const drift = new LimitDrift();
    drift.onLoss(6_300, 6.35, false, true);
    drift.onLoss(13_100, 5.3, false, true, false);
    drift.onLoss(15_500, 3.09, false, true);
    expect(drift.perSecond).toBe(0);
  });

  it('measures a limit that rose: a loss above the last one', () => {
    const drift = new LimitDrift();
    drift.onLoss(10_000, 4, false, true);
    drift.onLoss(20_000, 8, false, false);
    expect(drift.perSecond).toBeCloseTo(Math.log(2) / 10, 5);
  });

  it('forgets movement older than its last few losses', () => {
    const drift = new LimitDrift(3);
    drift.onLoss(10_000, 4, false, true);
    drift.onLoss(20_000, 8, false, false);
    for (const atMs of [60_000, 100_000, 140_000]) drift.onLoss(atMs, 8, true, false);
    expect(drift.perSecond).toBe(0);
  });

  it('remembers the speed of a swing past its last few losses, and a single move not', () => {
    // a limit held at 12/s falls to 6/s, comes back to 12/s and falls again: it swings (a
    // background consumer's use going up and down), then four losses at the low's rate
    const swing = new LimitDrift();
    swing.onLoss(4_000, 12, false, true);
    swing.onLoss(12_000, 12, true, false);
    swing.onLoss(14_000, 6, false, true);
    swing.onLoss(22_000, 12, true, false);
    swing.onLoss(24_000, 6, true, true);
    for (const atMs of [40_000, 56_000, 72_000, 88_000]) swing.onLoss(atMs, 6, true, false);
    expect(swing.swinging()).toBe(true);
    // the last four losses alone show no move; the swing remembered keeps its speed (12 to 6
    // in 2 s), its next move is as fast
    expect(swing.perSecond).toBeCloseTo(Math.log(2) / 2, 5);
    // where it last stood is still read from the last four losses
    expect(swing.highRatePerSecond).toBe(6);
    // a limit that fell once and came back (another tool ran for a while) is no swing: four
    // losses at one rate after it and its moves are forgotten, as before
    const step = new LimitDrift();
    step.onLoss(4_000, 12, false, true);
    step.onLoss(12_000, 12, true, false);
    step.onLoss(14_000, 6, false, true);
    step.onLoss(30_000, 12, true, false);
    for (const atMs of [46_000, 62_000, 78_000, 94_000]) step.onLoss(atMs, 12, true, false);
    expect(step.swinging()).toBe(false);
    expect(step.perSecond).toBe(0);
    // nor a static limit measured a shade high and low in turn (each move within 10%)
    const noisy = new LimitDrift();
    noisy.onLoss(4_000, 10, false, true);
    noisy.onLoss(12_000, 10.6, true, false);
    noisy.onLoss(14_000, 9.5, true, true);
    noisy.onLoss(22_000, 10.4, true, false);
    noisy.onLoss(24_000, 9.4, true, true);
    expect(noisy.swinging()).toBe(false);
  });

  it('proves a swing over periods only by legs that moved more than a period over their span', () => {
    // a background consumer's swing on a 2 s period: the limit falls from 11.5 to 4.3 over
    // 4.6 s, rises back to 11.5 over 10 s, falls to 7.8 within 2 s and to 6.3 by 4.1 s (losses
    // measured, each kept long enough to prove its fall)
    const swing = new LimitDrift();
    swing.setPeriod(2000);
    swing.onLoss(3_200, 11.5, false, true);
    swing.onLoss(5_300, 6.8, false, true, true);
    swing.onLoss(7_900, 4.3, false, true, true);
    swing.onLoss(17_900, 11.5, false, true, true);
    expect(swing.swungOverPeriods()).toBe(false);
    // a fall by a third within one period is no more than a window renewing once more or
    // less within the span: a swing by its moves, not yet beyond its measures' noise
    swing.onLoss(19_900, 7.8, false, true, true);
    expect(swing.swinging()).toBe(true);
    expect(swing.swungOverPeriods()).toBe(false);
    swing.onLoss(22_000, 6.3, false, true, true);
    expect(swing.swungOverPeriods()).toBe(true);
    // a static limit whose measures bounce (a 0.3 s window's diluted counts, a pace that
    // passed the last loss rate on a renewed window's burst): as many turns, each within a
    // period of the last, and a swing by its moves but not over periods
    const bounce = new LimitDrift();
    bounce.setPeriod(2000);
    const rates = [10.7, 6.2, 4.5, 5.6, 4.3, 6.3, 4.4, 3.7];
    rates.forEach((rate, i) => bounce.onLoss(400 + 450 * i, rate, false, true, true));
    expect(bounce.swinging()).toBe(true);
    expect(bounce.swungOverPeriods()).toBe(false);
    // a limit that halved and came back (a fixed window of 34 per 4.7 s, its period read near
    // 2.9 s), then measured over cycles of 6-9 s a quarter to a third apart in turn: legs
    // longer than a period each, but moves within a period's budget over them
    const halved = new LimitDrift();
    halved.setPeriod(2900);
    halved.onLoss(8_600, 6.6, false, true);
    halved.onLoss(14_500, 4.1, false, true, true);
    halved.onLoss(51_700, 6.6, false, true);
    halved.onLoss(60_600, 7.5, false, true);
    halved.onLoss(66_300, 6, false, true, true);
    halved.onLoss(74_900, 7.8, false, true);
    halved.onLoss(82_100, 5.9, false, true, true);
    expect(halved.swinging()).toBe(true);
    expect(halved.swungOverPeriods()).toBe(false);
  });

  it('forgets every move on reset (the limit came back where it stood)', () => {
    const drift = new LimitDrift();
    drift.onLoss(4_000, 12, false, true);
    drift.onLoss(12_000, 12, true, false);
    drift.onLoss(14_000, 6, false, true);
    expect(drift.perSecond).toBeGreaterThan(0);
    drift.reset();
    expect(drift.perSecond).toBe(0);
    drift.onLoss(40_000, 12, true, false);
    expect(drift.perSecond).toBe(0);
  });

  it('remembers the highest of its last few loss rates, where a moving limit last stood', () => {
    const drift = new LimitDrift(3);
    expect(drift.highRatePerSecond).toBe(0);
    drift.onLoss(1_000, 12, false, true);
    drift.onLoss(3_000, 7, false, true, true);
    drift.onLoss(5_000, 5, false, true, true);
    expect(drift.highRatePerSecond).toBe(12);
    // a fourth loss pushes the oldest out of the last three
    drift.onLoss(7_000, 6, false, true);
    expect(drift.highRatePerSecond).toBe(7);
    drift.reset();
    expect(drift.highRatePerSecond).toBe(0);
  });
});
