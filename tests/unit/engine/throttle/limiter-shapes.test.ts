import { describe, expect, it } from 'vitest';
import { POST_CONTACTS_ROUTE } from '../../../../core/sandbox';
import { PER_CLIENT_300_PER_MINUTE } from '../../../../core/sandbox/scenarios';
import type { LimitLayerConfig, RetryAfterMode } from '../../../../core/sandbox/types';
import {
  ONE_IN_FLIGHT,
  REPORTED,
  SCALED_LIMITER,
  SIMULATED_AT_BENCH_SCALE,
} from '../../../bench/upload/cells';
import {
  admittedRate,
  simulateUpload,
  throttledShare,
  type SimulationOptions,
  type SimulationResult,
} from './simulated-org';

// Genesys-sized limits on a fake clock (no wall-clock): the reported per-client layer is 300 per
// minute; a hidden per-org layer of 120 per minute (2/s) binds, in each shape the Sandbox has.
const reported = PER_CLIENT_300_PER_MINUTE;
const hidden = (extra: Partial<LimitLayerConfig>): LimitLayerConfig => ({
  name: 'hidden',
  scope: 'org',
  requests: 120,
  windowMs: 60_000,
  window: 'fixed',
  reported: false,
  ...extra,
});

type RunOptions = Omit<SimulationOptions, 'layers'>;

/**
 * An upload behind `reported` and `layer`: the pace seeded from the published 300 per minute,
 * answers after 200 ms.
 */
const atGenesysScale = (layer: LimitLayerConfig, options: RunOptions): Promise<SimulationResult> =>
  simulateUpload({ layers: [reported, layer], seedPerMinute: 300, latencyMs: 200, ...options });

/**
 * An upload behind the bench's reported 40 per 2 s and `layer`, with the bench's limiter and
 * answers after 5 ms; the pace seeded from 600 per minute and a server second of 1 s unless
 * `options` says otherwise (`SIMULATED_AT_BENCH_SCALE` is the bench's own).
 */
const behindBenchReported = (
  layer: LimitLayerConfig,
  options: RunOptions,
): Promise<SimulationResult> =>
  simulateUpload({
    layers: [REPORTED, layer],
    seedPerMinute: 600,
    latencyMs: 5,
    limiter: SCALED_LIMITER,
    ...options,
  });

const SHAPES: Array<[string, LimitLayerConfig, RetryAfterMode, number]> = [
  ['fixed window, Retry-After of the reported layer only', hidden({}), 'short', 0.75],
  [
    'sliding log, Retry-After of the reported layer only',
    hidden({ window: 'sliding' }),
    'short',
    0.75,
  ],
  [
    'sliding-window counter, honest Retry-After',
    hidden({ window: 'sliding-counter' }),
    'honest',
    0.9,
  ],
  [
    'token bucket with a burst of 20, no Retry-After',
    hidden({ window: 'token-bucket', burst: 20 }),
    'missing',
    0.9,
  ],
  [
    '10 s fixed window, Retry-After of the 60 s layer',
    hidden({ requests: 20, windowMs: 10_000 }),
    'short',
    0.9,
  ],
  [
    '2 min fixed window, honest Retry-After',
    hidden({ requests: 240, windowMs: 120_000 }),
    'honest',
    0.75,
  ],
];

const DURATION_MS = 900_000;

describe('OrgLimiter converges on every limiter shape', () => {
  for (const [name, layer, mode, minShare] of SHAPES) {
    it(name, async () => {
      const run = await atGenesysScale(layer, {
        retryAfterMode: mode,
        durationMs: DURATION_MS,
      });
      const ceiling = 2; // requests per second the hidden layer allows over time
      const late = admittedRate(run, DURATION_MS / 3, DURATION_MS) / ceiling;
      // converged: most of the ceiling after the first third (the bench holds the 90% target);
      // a Retry-After that describes a longer layer than the one that binds costs its whole
      // length per 429 (it is a floor), so those shapes reach less
      expect(late).toBeGreaterThanOrEqual(minShare);
      expect(late).toBeLessThanOrEqual(1.02);
      expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
      expect(run.limiter.throttleSnapshot().learnedHiddenLimitPerMinute).not.toBeNull();
    });
  }
});

describe('OrgLimiter finds a limit above the rate it holds', () => {
  it('sets the loss rate from what a failed probe got through, not from the diluted cycle', async () => {
    // the upload bench's scale: a hidden token bucket of 12/s with a burst of 3 and no
    // Retry-After, below a reported 40 per 2 s. Start-up lands near 11/s (what got through
    // over a cycle its waits dilute), and every probe above it overshoots far before the
    // small burst runs out; keeping the held rate after each failed probe stayed at 11.1/s
    const layer = hidden({ requests: 24, windowMs: 2000, window: 'token-bucket', burst: 3 });
    const run = await behindBenchReported(layer, {
      retryAfterMode: 'missing',
      durationMs: 60_000,
    });
    expect(admittedRate(run, 10_000, 60_000)).toBeGreaterThanOrEqual(11.5);
    expect(admittedRate(run, 10_000, 60_000)).toBeLessThanOrEqual(12.1);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
  });
});

describe('OrgLimiter pays a long Retry-After once', () => {
  it("restarts after slow start's 429 from what the repeated cycle would measure, not into it", async () => {
    // the bench's "Retry-After long": a hidden 24 per 2 s (12/s) under the reported 40 per 2 s,
    // each 429 told to wait 45 s (3 s at the bench's scale, 12% of this 25 s run). Restarting
    // near the refused 18/s repeated the first cycle to the same 429, and paid the wait twice
    const run = await behindBenchReported(hidden({ requests: 24, windowMs: 2000 }), {
      retryAfterMode: 'long',
      retryAfterLongSeconds: 45,
      durationMs: 25_000,
      ...SIMULATED_AT_BENCH_SCALE,
    });
    expect(run.requests.filter((request) => !request.ok)).toHaveLength(1);
    expect(admittedRate(run, 5000, 25_000)).toBeGreaterThanOrEqual(11.5);
  });

  it('times that cycle by its sends: a cold first upload answered late does not read it high', async () => {
    // the session's reads first, then the first upload reaches the server 30 ms late (a cold
    // connection) and opens the upload layer's window: timed from its answer, the first cycle
    // read short, its repeated measure high, and the pace above the window drew the 429 it was
    // to save
    const run = await behindBenchReported(
      hidden({ requests: 24, windowMs: 2000, endpoint: POST_CONTACTS_ROUTE }),
      {
        retryAfterMode: 'long',
        retryAfterLongSeconds: 45,
        durationMs: 25_000,
        ...SIMULATED_AT_BENCH_SCALE,
        sessionReads: { list: true, sessionOpenMs: 30 },
        firstRequestLagMs: 30,
      },
    );
    expect(run.requests.filter((request) => !request.ok)).toHaveLength(1);
    expect(admittedRate(run, 5000, 25_000)).toBeGreaterThanOrEqual(11.5);
  });

  it('not when the first request after the wait is refused: a counter longer than the cycle had not renewed', async () => {
    // a hidden sliding counter of 18 per 2.27 s (7.9/s): slow start's first cycle lasts 1 s,
    // and the 1.1 s wait after it renewed too little of the counter to let the next request
    // through. The repeated cycle's measure (11.8/s) assumed a renewed budget; taken, it held
    // the pace 50% above the limit, and each 429 there stepped the rate down a little (six
    // 429s, 6.2/s). Taken back, five: slow start's two, its repeat, the fall to the limit, and
    // one search probe above the measured loss rate (docs/ARCHITECTURE.md, "The climb after a loss")
    const run = await behindBenchReported(
      hidden({ window: 'sliding-counter', requests: 18, windowMs: 2270 }),
      {
        retryAfterMode: 'short',
        durationMs: 30_000,
        ...SIMULATED_AT_BENCH_SCALE,
      },
    );
    expect(run.requests.filter((request) => !request.ok).length).toBeLessThanOrEqual(5);
    expect(admittedRate(run, 4000, 30_000)).toBeGreaterThanOrEqual(7);
  });
});

/** The bench's "limit drops and returns": 24 per 2 s hidden (12/s), halved from 12 s to 28 s. */
const BENCH_DROP = hidden({
  requests: 24,
  windowMs: 2000,
  changes: [
    { afterMs: 12_000, requests: 12 },
    { afterMs: 28_000, requests: 24 },
  ],
});

describe('OrgLimiter follows a limit that moves', () => {
  it('drops with the limit and climbs back when it returns', async () => {
    // another tool takes half the budget from 5 to 10 minutes, then stops
    const layer = hidden({
      changes: [
        { afterMs: 300_000, requests: 60 },
        { afterMs: 600_000, requests: 120 },
      ],
    });
    const run = await atGenesysScale(layer, {
      retryAfterMode: 'short',
      durationMs: 1_500_000,
    });
    const dropped = admittedRate(run, 400_000, 600_000);
    const back = admittedRate(run, 1_000_000, 1_500_000);
    expect(dropped).toBeLessThanOrEqual(1.02);
    expect(dropped).toBeGreaterThanOrEqual(0.8);
    // re-probed: well above the dropped limit of 1/s again, most of the way back to 2/s
    expect(back).toBeGreaterThanOrEqual(1.7);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
  });

  it('climbs back within a few windows when a dropped limit returns, where a 429 costs half a window', async () => {
    // the upload bench's scale: 24 per 2 s hidden (12/s), halved from 12 s to 28 s, and a
    // Retry-After of the reported 2 s layer (1-2 s, whole seconds), so each 429 is expensive
    const run = await behindBenchReported(BENCH_DROP, {
      retryAfterMode: 'short',
      durationMs: 51_000,
    });
    expect(admittedRate(run, 16_000, 28_000)).toBeLessThanOrEqual(6.1);
    // the drop was seen as movement: re-probed toward the old rate within four windows of its
    // return (holding the dropped rate, as before the drift was measured, gave about 4.3/s)
    expect(admittedRate(run, 28_000, 36_000)).toBeGreaterThanOrEqual(8);
    expect(admittedRate(run, 28_000, 51_000)).toBeLessThanOrEqual(12.1);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.025);
  });

  it('a fixed window learned after the limit fell does not hold the pace down once it returns', async () => {
    // the same drop with the Sandbox's second scaled like its windows (the bench's instrument):
    // waits are short, the halved window (12 per 2 s) is learned exactly, and the pace keeps
    // to it; once it returns, the window model, fitted below a rate held before the fall,
    // must not pin the pace for its eight windows (16 s) while the old budget is back
    const run = await behindBenchReported(BENCH_DROP, {
      retryAfterMode: 'short',
      durationMs: 51_000,
      ...SIMULATED_AT_BENCH_SCALE,
    });
    expect(admittedRate(run, 16_000, 28_000)).toBeLessThanOrEqual(6.1);
    // back above the halved window's 6/s within a window of the return (pinned: about 5.7/s)
    expect(admittedRate(run, 30_000, 40_000)).toBeGreaterThanOrEqual(8);
    expect(admittedRate(run, 28_000, 51_000)).toBeLessThanOrEqual(12.1);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.025);
  });

  it('climbs back when the limit returns, though the fall refuted a fixed window it had fitted', async () => {
    // the bench's drop with the window at 0.7x its rate: 24 per 2.86 s (8.4/s), halved from 12 s
    // to 28 s, a Retry-After of the reported 2 s layer, the run's 450 requests known. Slow start
    // fits the window (B per U) before the fall, so the controller never held a rate for a whole
    // climb; the fall refutes that window (a refusal at fewer successes since a known opening)
    // and the model fits the halved one. That refuted window's pace is the rate held: without
    // it the pace kept to the halved window to the end (about 3.2/s after the return)
    const run = await behindBenchReported(
      hidden({ ...BENCH_DROP, windowMs: 2000 / 0.7, endpoint: POST_CONTACTS_ROUTE }),
      {
        retryAfterMode: 'short',
        durationMs: 60_000,
        totalRequests: 450,
        sessionReads: { list: true, sessionOpenMs: 30 },
        ...SIMULATED_AT_BENCH_SCALE,
      },
    );
    expect(admittedRate(run, 16_000, 28_000)).toBeLessThanOrEqual(4.3);
    expect(admittedRate(run, 36_000, 60_000)).toBeGreaterThanOrEqual(6);
    expect(admittedRate(run, 36_000, 60_000)).toBeLessThanOrEqual(8.5);
    // slow start's refusals and the fall's (the halved window is found by refusals too)
    expect(throttledShare(run)).toBeLessThanOrEqual(0.035);
  });

  it('climbs back when a halved token bucket returns, though no rate was held before it fell', async () => {
    // the upload bench's scale: a hidden token bucket of 6/s (45 per 7.5 s, burst 31) halved
    // from 10 s to 22 s, no Retry-After header (the wait is only in the message). The pace
    // keeps the bucket's rate for a few seconds before the drop, not a whole climb, so only
    // that rate sustained, then measured losses well below it, show the limit moved
    const layer = hidden({
      window: 'token-bucket',
      requests: 45,
      windowMs: 7500,
      burst: 31,
      changes: [
        { afterMs: 10_000, requests: 23 },
        { afterMs: 22_000, requests: 45 },
      ],
    });
    const run = await behindBenchReported(layer, {
      retryAfterMode: 'message-only',
      durationMs: 60_000,
    });
    // back near 6/s within a few windows of the return (taken for convergence, the fall left
    // the pace at the last, diluted measure, about 2.6/s, to the end)
    expect(admittedRate(run, 36_000, 60_000)).toBeGreaterThanOrEqual(5);
    // and never above what the bucket allows: its rate and one burst over the span
    expect(admittedRate(run, 36_000, 60_000)).toBeLessThanOrEqual(6 + 31 / 24);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.025);
  });

  it('treats a background consumer as a shrinking budget', async () => {
    // someone else (the consultant's admin UI, an integration) steadily spends 2 of a 4/s budget
    const layer = hidden({
      requests: 240,
      background: { ratePerSecond: 2, amplitude: 0, periodMs: 600_000 },
    });
    const run = await atGenesysScale(layer, {
      retryAfterMode: 'short',
      durationMs: DURATION_MS,
    });
    // a climb back that reached the 2/s left and met a 429 restarts near that pace, not at what
    // the cycle measured with the wait counted (taking that measure, the pace stepped down loss
    // by loss to 1.1/s, a share of 0.62)
    const share = admittedRate(run, DURATION_MS / 3, DURATION_MS) / 2;
    expect(share).toBeGreaterThanOrEqual(0.75);
    expect(share).toBeLessThanOrEqual(1.02);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
  });

  it('shares a budget with a background consumer that varies, and stays within what it leaves', async () => {
    // the customer's integrations spend 1 to 3 of a 4/s org budget, swinging over 4 minutes:
    // 2/s left on average, 1/s at their peak
    const layer = hidden({
      requests: 240,
      background: { ratePerSecond: 2, amplitude: 0.5, periodMs: 240_000 },
    });
    const run = await atGenesysScale(layer, {
      retryAfterMode: 'honest',
      durationMs: 1_800_000,
    });
    // well above the 1/s the consumer leaves at its peak (the engine reaches 0.69 of the 2/s
    // average: it re-probes only as often as a 429's wait allows, so it follows the swings
    // late); never more than the average leaves, and few 429s
    const share = admittedRate(run, 600_000, 1_800_000) / 2;
    expect(share).toBeGreaterThanOrEqual(0.6);
    expect(share).toBeLessThanOrEqual(1.02);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
  });

  it('relaxes a concurrency cap met once when it lifts', async () => {
    // one request in flight at a time for 2 minutes (another tool holds the others), then four
    const cap: LimitLayerConfig = {
      ...ONE_IN_FLIGHT,
      changes: [{ afterMs: 120_000, requests: 4 }],
    };
    const run = await simulateUpload({
      layers: [{ ...reported, requests: 1200 }, cap],
      retryAfterMode: 'honest',
      durationMs: 900_000,
      seedPerMinute: 1200,
      latencyMs: 200,
    });
    // one in flight at 200 ms each: 5/s while the cap holds
    expect(admittedRate(run, 30_000, 120_000)).toBeLessThanOrEqual(5.01);
    // re-probed: well past one in flight, near the reported budget (1200/min less 10%: 18/s)
    expect(admittedRate(run, 600_000, 900_000)).toBeGreaterThanOrEqual(15);
    expect(run.limiter.snapshot().concurrency).toBeGreaterThan(1);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.02);
  });
});

describe('OrgLimiter on a budget a background consumer swings', () => {
  it("holds the swing's top once the follow met it, not the ramp's average", async () => {
    // the bench's "background varying": a per-org 40 per 2 s that another consumer spends at
    // 8/s x (1 + 0.75 sin(2 pi t / 16 s)), leaving the uploads 6 to 18/s (top at 12 s and 28 s)
    const run = await behindBenchReported(
      hidden({
        requests: 40,
        windowMs: 2000,
        endpoint: POST_CONTACTS_ROUTE,
        background: { ratePerSecond: 8, amplitude: 0.75, periodMs: 16_000 },
      }),
      {
        retryAfterMode: 'short',
        durationMs: 34_000,
        ...SIMULATED_AT_BENCH_SCALE,
        sessionReads: { list: true, sessionOpenMs: 30 },
      },
    );
    // the follow climbs from the low at 22 s and meets the top at 28 s at about 18/s: its cycle's
    // measure averages the ramp (11.5/s), the last period got 17.3/s through, and the pace stays
    // near the top while it lasts (taken from the measure: 12.75/s from 28 s to 32 s)
    expect(admittedRate(run, 28_000, 32_000)).toBeGreaterThanOrEqual(15);
    expect(throttledShare(run)).toBeLessThanOrEqual(0.03);
  });
});
