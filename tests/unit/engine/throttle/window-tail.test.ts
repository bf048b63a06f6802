import { describe, expect, it } from 'vitest';
import { WindowPhase } from '../../../../core/engine/throttle/window-phase';
import { SIMULATED_AT_BENCH_SCALE, randomCells } from '../../../bench/upload/cells';
import { simulateUpload } from './simulated-org';
import { simulateBehindHiddenWindowAtBenchScale } from './upload-layers';

describe("a run's last window (docs/ARCHITECTURE.md, A hidden fixed window)", () => {
  for (const hidden of [12, 24]) {
    it(`sends the last requests a fitted window of ${hidden} per 2 s admits at once, no 429 among them`, async () => {
      // a run that has to store 30 windows' worth: the model fits early on, and the last
      // window's requests then go at its opening rather than at B per U through it
      const run = await simulateBehindHiddenWindowAtBenchScale(
        { hidden, hiddenWindowMs: 2000 },
        { durationMs: 200_000, storeAll: true, totalRequests: 30 * hidden },
      );
      const stored = run.requests.filter((r) => r.storing);
      expect(stored).toHaveLength(30 * hidden);
      const last = stored.slice(-Math.floor(hidden / 2));
      const fromMs = last[0]?.sentAtMs ?? 0;
      const spreadMs = (last.at(-1)?.arrivedAtMs ?? 0) - (last[0]?.arrivedAtMs ?? 0);
      // paced at B per U they would take half a window; at once, a few round trips
      const spacingMs = 2000 / hidden;
      expect(spreadMs).toBeLessThan(2 * spacingMs);
      expect(run.requests.filter((r) => r.sentAtMs >= fromMs && !r.ok)).toHaveLength(0);
    });
  }

  it('lets nothing go without the pace before the model has fitted a window whose length is known', () => {
    const phase = new WindowPhase();
    // successes alone: no window known
    for (let atMs = 0; atMs < 3000; atMs += 100) phase.onSuccess(atMs);
    expect(phase.burstFits(3000, 1)).toBe(false);
    // one refusal at a count: a guess, not a fitted model
    phase.onHiddenThrottle(3000, 10);
    phase.onSuccess(3600);
    expect(phase.fittedBudget).toBeUndefined();
    expect(phase.burstFits(3700, 1)).toBe(false);
    // the work left unknown: never
    expect(phase.burstFits(3700, undefined)).toBe(false);
  });

  it('keeps the pace at the end on a sliding log whose refusal mid-run no fixed window sends', async () => {
    // the bench's random cell of seed 1: a hidden sliding log of 27 per 2.61 s per user. Its
    // refusals fit a fixed window's bounds, but one came after the window the send times placed
    // surely opened and before 27 went in it: the last requests keep the pace, where a burst
    // at the placed window's opening met a full log (two 429s and the wait they drew)
    const cell = randomCells(1, 8).find((c) => c.name === 'random 8');
    if (!cell) throw new Error('no random 8 for seed 1');
    const run = await simulateUpload({
      ...SIMULATED_AT_BENCH_SCALE,
      layers: cell.layers,
      retryAfterMode: cell.retryAfterMode,
      durationMs: 200_000,
      storeAll: true,
      totalRequests: cell.requests,
      sessionReads: { list: true, sessionOpenMs: 30 },
    });
    expect(run.requests.filter((r) => r.storing)).toHaveLength(cell.requests);
    expect(run.requests.slice(-40).filter((r) => !r.ok)).toHaveLength(0);
  });
});
