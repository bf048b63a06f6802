import { describe, expect, it } from 'vitest';
import { WindowPhase } from '../../../../core/engine/throttle/window-phase';
import { createFixedWindowCounter } from '../../../../core/sandbox/limits/fixed-window';
import { createGcraCounter } from '../../../../core/sandbox/limits/gcra';
import type { WindowCounter } from '../../../../core/sandbox/limits/window-counter';

const KEY = 'org';

/**
 * One sender against one of the Sandbox's own counters, answered at send time: it paces at
 * what `WindowPhase` makes of `controllerPerSecond(t)` and pauses `pauseMs` after a refusal.
 * Returns the refusals counted from `countFromMs` on.
 */
function drive(
  phase: WindowPhase,
  counter: WindowCounter,
  limit: number,
  run: { fromMs: number; toMs: number; pauseMs: number; countFromMs?: number; workLeft?: number },
  controllerPerSecond: (atMs: number) => number,
): { refused: number; admitted: number; endMs: number } {
  let refused = 0;
  let admitted = 0;
  let atMs = run.fromMs;
  while (atMs < run.toMs) {
    const pace = phase.pacePerSecond(controllerPerSecond(atMs), 0.5, 0, run.workLeft);
    const counted = atMs >= (run.countFromMs ?? run.fromMs);
    if (counter.peek(KEY, atMs, limit).count < limit) {
      counter.record(KEY, atMs, limit);
      phase.onSuccess(atMs);
      if (counted) admitted += 1;
      atMs += 1000 / pace;
    } else {
      phase.onHiddenThrottle(atMs, pace);
      if (counted) refused += 1;
      atMs += run.pauseMs;
    }
  }
  return { refused, admitted, endMs: atMs };
}

describe('WindowPhase', () => {
  it('learns a fixed window from its refusals and holds the pace at what it proves', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(1000);
    // a controller that keeps pushing at 20/s against 12 per second, pausing 400 ms per 429
    const learning = drive(phase, counter, 12, { fromMs: 0, toMs: 6000, pauseMs: 400 }, () => 20);
    expect(learning.refused).toBeGreaterThanOrEqual(2);
    expect(phase.fittedBudget).toBe(12);
    expect(phase.windowLowerMs).toBeLessThan(1000);
    expect(phase.windowUpperMs).toBeGreaterThanOrEqual(1000);
    // a controller that fell far below the limit (a loss measured badly) is held up at B per U
    const held = drive(
      phase,
      counter,
      12,
      { fromMs: learning.endMs, toMs: learning.endMs + 20_000, pauseMs: 400 },
      () => 4,
    );
    expect(held.refused).toBe(0);
    // B per U less half a request, U within a window and a bit: well above the controller's 4/s
    expect(held.admitted / 20).toBeGreaterThan(9);
    expect(held.admitted / 20).toBeLessThanOrEqual(12);
  });

  it('keeps to the known window once L and U agree, instead of probing into refusals', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(1000);
    // a controller just above the limit, and short pauses: refusals come near the window's
    // end and the first success after them soon after it, which pins L and U together
    const first = drive(phase, counter, 12, { fromMs: 0, toMs: 10_000, pauseMs: 40 }, () => 12.3);
    expect(phase.fittedBudget).toBe(12);
    expect(phase.windowUpperMs).toBeLessThanOrEqual(phase.windowLowerMs * 1.05);
    // a controller pushing at 13/s is then held to the known window, and probes above it (for
    // a budget that rose) once per eight windows: half the refusals it draws on its own, for as
    // many requests through
    const run = { fromMs: first.endMs, toMs: first.endMs + 16_000, pauseMs: 40 };
    const later = drive(phase, counter, 12, run, () => 13);
    const alone = drive(new WindowPhase(), createFixedWindowCounter(1000), 12, run, () => 13);
    expect(alone.refused).toBeGreaterThanOrEqual(6);
    expect(later.refused).toBeLessThanOrEqual(alone.refused / 2);
    expect(later.admitted).toBeGreaterThanOrEqual(alone.admitted - 12);
  });

  it('searches the window’s length below a loose U until L and U agree, for a refusal or two', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(4000);
    // slow start far above 48 per 4 s, and pauses of a second after each refusal: the refusals
    // come two thirds into their windows (L) and the first success after a pause well after
    // the window closed (U), so the two disagree by a third
    const learning = drive(
      phase,
      counter,
      48,
      { fromMs: 0, toMs: 12_000, pauseMs: 1000 },
      () => 18,
    );
    expect(phase.fittedBudget).toBe(48);
    expect(phase.windowUpperMs).toBeGreaterThan(phase.windowLowerMs * 1.3);
    // a controller below the window: at B per U alone no window ever refuses again and no span
    // of B + 1 successes is shorter than U, so L and U never moved. The search paces a little
    // faster: spans of B + 1 successes bring U down to the window, and the one refusal it draws
    // names its window's opening, which brings L up to it
    // (a run with 1000 requests left: its refusals, slow start's five and the search's, stay
    // within 1.25% of them)
    const run = {
      fromMs: learning.endMs,
      toMs: learning.endMs + 60_000,
      pauseMs: 1000,
      workLeft: 1000,
    };
    const later = drive(phase, counter, 48, run, () => 4);
    expect(later.refused).toBeLessThanOrEqual(2);
    expect(phase.windowLowerMs).toBeLessThan(4000);
    expect(phase.windowUpperMs).toBeGreaterThanOrEqual(4000);
    expect(phase.windowUpperMs).toBeLessThanOrEqual(phase.windowLowerMs * 1.05);
    // and the pace it keeps, two refusals' pauses included, is within a few percent of 12/s
    expect(later.admitted / 60).toBeGreaterThan(10.8);
  });

  it('lowers a loose U by the whole search step each window, not by the step less the slack', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(4000);
    // the same loose bounds (L 2.7 s, U 4.7 s for a 4 s window of 48)
    const learning = drive(
      phase,
      counter,
      48,
      { fromMs: 0, toMs: 12_000, pauseMs: 1000 },
      () => 18,
    );
    expect(phase.windowUpperMs).toBeGreaterThan(4600);
    // while L and U are far apart, B + 1 successes paced at the full budget per the searched
    // length span that length, so each window's proof lowers U by the whole 3%; paced at the
    // budget less the pacer's slack they span half a request longer, and U fell about 1% a
    // window (still 4.24 s after these nine windows, 4.04 s after fourteen)
    drive(
      phase,
      counter,
      48,
      { fromMs: learning.endMs, toMs: learning.endMs + 36_000, pauseMs: 1000, workLeft: 1000 },
      () => 4,
    );
    expect(phase.windowUpperMs).toBeGreaterThanOrEqual(4000);
    expect(phase.windowUpperMs).toBeLessThanOrEqual(4120);
  });

  it('spends no refusal on that search when the run’s refusals would pass 1.25% of its requests', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(4000);
    const learning = drive(
      phase,
      counter,
      48,
      { fromMs: 0, toMs: 12_000, pauseMs: 1000 },
      () => 18,
    );
    // slow start's five refusals and 144 successes, with 100 requests left: one more refusal
    // is 7 of 244 or more, near 3%
    const run = {
      fromMs: learning.endMs,
      toMs: learning.endMs + 30_000,
      pauseMs: 1000,
      workLeft: 100,
    };
    const later = drive(phase, counter, 48, run, () => 4);
    // (the first window after slow start's pause refuses once at B per U, as without the search)
    expect(later.refused).toBeLessThanOrEqual(1);
    expect(phase.windowUpperMs).toBeGreaterThan(phase.windowLowerMs * 1.2);
  });

  it('falls back to the controller on a token bucket, whose refusals do not repeat one count', () => {
    const phase = new WindowPhase();
    // 12 per second with a burst of 3: after a pause the count before a refusal depends on the
    // pause and the pace, not on a window's budget
    const counter = createGcraCounter(1000, 12, 3);
    let step = 0;
    const paces = [20, 15, 30, 13, 18, 25];
    drive(phase, counter, 12, { fromMs: 0, toMs: 20_000, pauseMs: 120 }, (atMs) => {
      step = Math.floor(atMs / 1500) % paces.length;
      return paces[step] ?? 20;
    });
    // whatever it concluded on the way, it never holds a pace the bucket refuses
    expect(phase.pacePerSecond(5, 0.5)).toBeLessThanOrEqual(12);
  });

  it('never holds the pace at zero when the fitted budget is no more than the pacer slack', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(1000);
    // one request per second, learned to the millisecond from a sender pushing 5/s that
    // retries 10 ms after each refusal
    drive(phase, counter, 1, { fromMs: 0, toMs: 8000, pauseMs: 10 }, () => 5);
    expect(phase.fittedBudget).toBe(1);
    expect(phase.windowUpperMs).toBeLessThanOrEqual(phase.windowLowerMs * 1.05);
    // with a slack of a whole request the window proves nothing: the controller's pace stands
    expect(phase.pacePerSecond(0.8, 1)).toBe(0.8);
    expect(phase.pacePerSecond(0.8, 0.5)).toBeGreaterThan(0);
  });
  it('learns the window when its first budget was shared (the limits read spent a request)', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(1000);
    // the limits read opens the first window and spends one of its 12: the first refusal comes
    // at 11 successes, every later one at 12. The larger count replaces the unconfirmed one
    counter.record(KEY, 0, 12);
    const learning = drive(phase, counter, 12, { fromMs: 10, toMs: 8000, pauseMs: 400 }, () => 20);
    expect(learning.refused).toBeGreaterThanOrEqual(3);
    expect(phase.fittedBudget).toBe(12);
    expect(phase.windowLowerMs).toBeLessThan(1000);
    expect(phase.windowUpperMs).toBeGreaterThanOrEqual(1000);
    // a fitted window holds a controller that fell far below it up at B per U, never refused
    const run = { fromMs: learning.endMs, toMs: learning.endMs + 20_000, pauseMs: 400 };
    const held = drive(phase, counter, 12, run, () => 4);
    expect(held.refused).toBe(0);
    expect(held.admitted / 20).toBeGreaterThan(9);
  });

  it('keeps a confirmed budget when a later count spans windows the pace did not fill', () => {
    const phase = new WindowPhase();
    // a 1 s window of 12: three cycles of 12 successes from an opening, a refusal, and the
    // next success 1.5 s after the opening
    for (let openMs = 0; openMs < 4500; openMs += 1500) {
      for (let i = 0; i < 12; i += 1) phase.onSuccess(openMs + 50 * i);
      phase.onHiddenThrottle(openMs + 600, 20);
    }
    // then 11 successes in the window the next success opens and 12 in the one after: 23
    // since a known opening, over two windows, before the next refusal
    for (let i = 0; i < 11; i += 1) phase.onSuccess(4500 + 80 * i);
    expect(phase.fittedBudget).toBe(12);
    for (let i = 0; i < 12; i += 1) phase.onSuccess(5600 + 50 * i);
    phase.onHiddenThrottle(6200, 20);
    phase.onSuccess(6700);
    expect(phase.fittedBudget).toBe(12);
  });

  it('lets the controller above a known window that was learned well below a rate held before', () => {
    // a window of 12 per second learned exactly, as in the test above
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(1000);
    drive(phase, counter, 12, { fromMs: 0, toMs: 10_000, pauseMs: 40 }, () => 12.3);
    expect(phase.fittedBudget).toBe(12);
    const proven = phase.pacePerSecond(0, 0.5);
    expect(phase.windowUpperMs).toBeLessThanOrEqual(phase.windowLowerMs * 1.05);
    // settled: a controller asking for 20/s is held to the window...
    expect(phase.pacePerSecond(20, 0.5)).toBeCloseTo(proven, 5);
    // ...unless the pace held 20/s before this window was learned (the limit fell, and another
    // tool's share may come back): then the controller's own probes find where it went, and
    // the window still floors the pace
    expect(phase.pacePerSecond(20, 0.5, 20 * 0.85)).toBe(20);
    expect(phase.pacePerSecond(4, 0.5, 20 * 0.85)).toBeCloseTo(proven, 5);
    // a rate held no higher than the window proves is no fall
    expect(phase.pacePerSecond(20, 0.5, proven)).toBeCloseTo(proven, 5);
  });

  it('drops the pacer slack once a settled window went through twice on time, for good back after a refusal at B per U', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(1000);
    const first = drive(phase, counter, 12, { fromMs: 0, toMs: 10_000, pauseMs: 40 }, () => 12.3);
    expect(phase.fittedBudget).toBe(12);
    expect(phase.windowUpperMs).toBeLessThanOrEqual(phase.windowLowerMs * 1.05);
    const perSecond = (requests: number): number => requests / (phase.windowUpperMs / 1000);
    // a punctual sender (answered at send time, never early) with a controller asking for less:
    // after two budgets' worth on time the pace is the whole B per U, and the window admits it
    const run = { fromMs: first.endMs, toMs: first.endMs + 6000, pauseMs: 40 };
    const held = drive(phase, counter, 12, run, () => 4);
    expect(held.refused).toBe(0);
    expect(phase.pacePerSecond(4, 0.5)).toBeCloseTo(perSecond(12), 5);
    // more through than B - 0.5 per U allows: the slack went within the run
    expect(held.admitted).toBeGreaterThan(perSecond(11.5) * 6 + 1);
    // then the window turns out a little longer than U read (timed by send times, U can read
    // short): B per U draws a refusal, which contradicts the model; it is learned again...
    const longer = createFixedWindowCounter(1040);
    const relearn = { fromMs: held.endMs, toMs: held.endMs + 20_000, pauseMs: 40 };
    const again = drive(phase, longer, 12, relearn, () => 12.3);
    expect(again.refused).toBeGreaterThanOrEqual(1);
    expect(phase.fittedBudget).toBe(12);
    expect(phase.windowUpperMs).toBeLessThanOrEqual(phase.windowLowerMs * 1.05);
    // ...and the slack stays for good, however long the window then goes through on time
    const run2 = { fromMs: again.endMs, toMs: again.endMs + 6000, pauseMs: 40 };
    const after = drive(phase, longer, 12, run2, () => 4);
    expect(after.refused).toBe(0);
    expect(phase.pacePerSecond(4, 0.5)).toBeCloseTo(perSecond(11.5), 5);
  });

  it('keeps the pacer slack while sends come early (a late timer, then the pacer catching up)', () => {
    const phase = new WindowPhase();
    const counter = createFixedWindowCounter(1000);
    const first = drive(phase, counter, 12, { fromMs: 0, toMs: 10_000, pauseMs: 40 }, () => 12.3);
    expect(phase.fittedBudget).toBe(12);
    const slacked = phase.windowUpperMs / 11.5;
    // every eighth send goes late by half a spacing and the next early by as much: never two
    // budgets' worth in a row on time, so the slack stays
    let atMs = first.endMs;
    for (let i = 1; i <= 60; i += 1) {
      const offMs = i % 8 === 0 ? slacked / 2 : i % 8 === 1 ? -slacked / 2 : 0;
      phase.onSuccess(atMs + i * slacked + offMs);
    }
    atMs += 60 * slacked;
    expect(phase.pacePerSecond(4, 0.5)).toBeCloseTo(11.5 / (phase.windowUpperMs / 1000), 5);
    // on time from then on: after two budgets' worth the slack goes
    for (let i = 1; i <= 24; i += 1) phase.onSuccess(atMs + i * slacked);
    expect(phase.pacePerSecond(4, 0.5)).toBeCloseTo(12 / (phase.windowUpperMs / 1000), 5);
  });

  it('on a budget of one, where the slack is half the pace, drops it only after ten on time', () => {
    const phase = new WindowPhase();
    // one request per 1000 ms window: refused 990 ms after each opening, twice, and the next
    // success 1000 ms after it (L 990 ms, U 1000 ms: settled)
    phase.onSuccess(0);
    phase.onHiddenThrottle(990, 5);
    phase.onSuccess(1000);
    phase.onHiddenThrottle(1990, 5);
    phase.onSuccess(2000);
    expect(phase.fittedBudget).toBe(1);
    expect(phase.pacePerSecond(0.1, 0.5)).toBeCloseTo(0.5, 5);
    // two budgets' worth on time is two requests, too few to double the pace on
    let atMs = 2000;
    for (let i = 0; i < 9; i += 1) phase.onSuccess((atMs += 2000));
    expect(phase.pacePerSecond(0.1, 0.5)).toBeCloseTo(0.5, 5);
    phase.onSuccess((atMs += 2000));
    expect(phase.pacePerSecond(0.1, 0.5)).toBeCloseTo(1, 5);
  });

  it('times the close of a window that refuses at the first one’s count by the first one’s length', () => {
    const phase = new WindowPhase();
    const spacingMs = 50;
    // 20 successes from the run's first, refused, and the next success 1030 ms after the first
    for (let i = 0; i < 20; i += 1) phase.onSuccess(i * spacingMs);
    phase.onHiddenThrottle(20 * spacingMs, 20);
    expect(phase.refusedWindowClosedByMs).toBeUndefined(); // no window bounded yet
    phase.onSuccess(1030);
    expect(phase.windowUpperMs).toBe(1030);
    // the window it opened refuses at the same count: it closes by 1030 ms after that opening
    for (let i = 1; i < 20; i += 1) phase.onSuccess(1030 + i * spacingMs);
    phase.onHiddenThrottle(1030 + 20 * spacingMs, 20);
    expect(phase.refusedWindowClosedByMs).toBe(2060);
    // a refusal at another count says nothing of when its window closes
    phase.onSuccess(2060);
    for (let i = 1; i < 15; i += 1) phase.onSuccess(2060 + i * spacingMs);
    phase.onHiddenThrottle(2060 + 15 * spacingMs, 20);
    expect(phase.refusedWindowClosedByMs).toBeUndefined();
  });

  it('says nothing of when a window closes on a count of a few, which a token bucket repeats', () => {
    const phase = new WindowPhase();
    // two successes, refused, twice over: a bucket drained to two per refill fits that too
    phase.onSuccess(0);
    phase.onSuccess(50);
    phase.onHiddenThrottle(100, 20);
    phase.onSuccess(300);
    phase.onSuccess(350);
    phase.onHiddenThrottle(400, 20);
    expect(phase.windowUpperMs).toBe(300);
    expect(phase.refusedWindowClosedByMs).toBeUndefined();
  });
});
