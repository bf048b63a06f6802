import { describe, expect, it } from 'vitest';
import type { RunMetrics, RunSummary } from '../../../../core/contract';
import { accountingOf } from '../../../../renderer/src/features/run/accounting';
import { chartSeries } from '../../../../renderer/src/features/run/chart-series';
import { etaMs, settledRate } from '../../../../renderer/src/features/run/run-progress';
import { explainThrottle } from '../../../../renderer/src/features/run/why-sentence';
import { zeroMetrics } from '../../../support/run-records';

// The run view's arithmetic, in plain Node: accounting with pending rows, rates from counter
// deltas, backoff periods, the ETA and the throttle's sentence.

function tick(elapsedMs: number, overrides: Partial<RunMetrics> = {}): RunMetrics {
  return zeroMetrics('r1', elapsedMs, { concurrency: 2, ...overrides });
}

const holds: RunSummary['invariant'] = { holds: true, problems: [] };
const broken: RunSummary['invariant'] = { holds: false, problems: ['rows read 10 ≠ 9'] };

describe('accounting', () => {
  it('counts rows on their way as pending while a run lives, not as a mismatch', () => {
    const paused = accountingOf(
      { state: 'paused', rowsRead: 15_005, uploaded: 11_000, rejected: 400, failed: 5, skipped: 0 },
      broken,
    );
    expect(paused).toMatchObject({ pending: 3600, mismatch: false });
  });

  it('calls a live run a mismatch only when more rows settled than were read', () => {
    const wrong = accountingOf({
      state: 'running',
      rowsRead: 10,
      uploaded: 11,
      rejected: 0,
      failed: 0,
      skipped: 0,
    });
    expect(wrong.mismatch).toBe(true);
  });

  it('trusts the engine’s invariant once the run has ended', () => {
    const counts = {
      state: 'completed' as const,
      rowsRead: 10,
      uploaded: 10,
      rejected: 0,
      failed: 0,
      skipped: 0,
    };
    expect(accountingOf(counts, holds)).toMatchObject({ pending: 0, mismatch: false });
    expect(accountingOf(counts, broken).mismatch).toBe(true);
    expect(accountingOf({ ...counts, uploaded: 9 }).mismatch).toBe(true);
  });
});

describe('chart series', () => {
  it('turns counters into per-second rates by outcome, stacked, and finds backoff periods', () => {
    const points = [
      tick(0),
      tick(1000, { ok: 4, throttled: 0 }),
      tick(2000, { ok: 6, throttled: 3, currentBackoffMs: 900 }),
      tick(3000, { ok: 6, throttled: 3, serverErrors: 1, currentBackoffMs: 100 }),
      tick(4000, { ok: 8, throttled: 3, serverErrors: 1 }),
    ];
    const series = chartSeries(points, 100);
    const [, network, fiveHundreds, throttled, ok] = series.requests;
    expect(ok).toEqual([0, 4, 2, 0, 2]);
    expect(throttled).toEqual([0, 4, 5, 0, 2]);
    expect(fiveHundreds).toEqual([0, 4, 5, 1, 2]);
    expect(network).toEqual(fiveHundreds);
    expect(series.backoffs).toEqual([[1, 4]]);
    // The believed ceiling: pacing (requests/s) × contacts per request.
    expect(series.contacts[2]).toEqual([100, 100, 100, 100, 100]);
  });

  it('draws the reported limit, the headroom band and the learned limit only when reported', () => {
    const series = chartSeries(
      [
        tick(0),
        tick(500, {
          reportedLimitPerMinute: 300,
          headroom: 0.1,
          learnedLimitPerMinute: 60,
        }),
      ],
      undefined,
    );
    const [, , reported, usable, learned] = series.pacing;
    expect(reported).toEqual([null, 5]);
    expect(usable).toEqual([null, 4.5]);
    expect(learned).toEqual([null, 1]);
  });
});

describe('progress', () => {
  it('measures the settling rate over the recent window and projects the rest of the file', () => {
    const points = [tick(0, { uploaded: 0 }), tick(10_000, { uploaded: 800, rejected: 200 })];
    expect(settledRate(points)).toBe(100);
    expect(etaMs(points, 3000)).toBe(20_000);
    expect(etaMs([tick(0)], 3000)).toBeUndefined();
  });
});

describe('the throttle’s sentence', () => {
  it('names the limit that binds when a tighter one was learned, and the wait', () => {
    const sentence = explainThrottle('running', [
      tick(1000, {
        currentBackoffMs: 14_000,
        reportedLimitPerMinute: 300,
        learnedLimitPerMinute: 60,
        backoff: {
          retryAfterMs: 1000,
          waitMs: 14_000,
          untilMs: 15_000,
          pausedForLongRetryAfter: false,
        },
      }),
    ]);
    expect(sentence).toBe(
      'Genesys reports 300/min for this client, but a tighter limit of about 60/min binds; Genesys answered 429; Retry-After said 1 s, waiting 14 s.',
    );
  });

  it('says when it slowed down after recent 429s, and prefers the engine’s own words', () => {
    const slowed = explainThrottle('running', [
      tick(0, { throttled: 0 }),
      tick(5000, { throttled: 2, pacingRatePerSecond: 0.5 }),
    ]);
    expect(slowed).toContain('2 requests drew a 429 in the last 10 s');
    expect(slowed).toContain('30/min');
    expect(explainThrottle('running', [tick(0, { why: 'Because.' })])).toBe('Because.');
    expect(explainThrottle('paused', [])).toContain('Paused');
    expect(explainThrottle('completed', [tick(0)])).toBeUndefined();
  });
});
