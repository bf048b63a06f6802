import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../../../../core/contract/runs';
import { MetricsRecorder, zeroCounters } from '../../../../core/engine/run/metrics-recorder';
import { OrgLimiter } from '../../../../core/engine/throttle/org-limiter';
import { FakeClock } from '../fake-clock';

const rows = { rowsRead: 0, uploaded: 0, rejected: 0, failed: 0, skipped: 0, pending: 0 };

/** A limiter snapshot with nothing to say: pacing, no wait, nothing learned. */
const quietLimiter = {
  pacingRatePerSecond: 1,
  concurrency: 1,
  inFlight: 0,
  backoffRemainingMs: 0,
  retryAfterTrusted: true,
  hiddenLimitLearned: false,
  latencyP50Ms: 0,
  latencyP95Ms: 0,
};

describe('MetricsRecorder', () => {
  it("carries the throttle's limits, its current wait and why into the tick", async () => {
    const clock = new FakeClock();
    const org = new OrgLimiter({ clock, random: () => 0.5 });
    org.seedFromLimit(300);
    // the reported layer (300/min) has room left, yet a 429 came: a tighter hidden layer binds
    const headers = {
      'inin-ratelimit-allowed': '300',
      'inin-ratelimit-count': '10',
      'inin-ratelimit-reset': '60',
    };
    for (let i = 0; i < 12; i += 1) {
      const permit = (await Promise.all([org.acquire(), clock.advanceTo(clock.nowMs() + 500)]))[0];
      if (!permit) throw new Error('no permit');
      org.complete(
        permit,
        i === 11
          ? { signal: 'throttled', latencyMs: 5, headers, retryAfterMs: 30_000 }
          : { signal: 'ok', latencyMs: 5, headers },
      );
    }
    const nowMs = clock.nowMs();
    const metrics = new MetricsRecorder('r1').tick({
      nowMs,
      elapsedMs: nowMs,
      state: 'running',
      rows,
      counters: zeroCounters(),
      limiter: org.snapshot(),
    });
    expect(() => RunMetrics.parse(metrics)).not.toThrow();
    expect(metrics.reportedLimitPerMinute).toBe(300);
    expect(metrics.headroom).toBe(0.1);
    expect(metrics.learnedLimitPerMinute ?? Infinity).toBeLessThan(270);
    expect(metrics.backoff?.retryAfterMs).toBe(30_000);
    // the headers prove Retry-After describes the reported layer, yet it is a floor: the wait
    // is never shorter (docs/ARCHITECTURE.md, "The throttle", "The wait after a 429")
    expect(metrics.backoff?.waitMs ?? 0).toBeGreaterThanOrEqual(30_000);
    expect(metrics.backoff?.untilMs).toBe(nowMs + (metrics.backoff?.waitMs ?? 0));
    expect(metrics.why).toMatch(
      /a tighter limit of about .* binds; Retry-After said 30 s, waiting/,
    );
  });

  it('leaves the throttle fields out when the limiter has nothing to say (an import stand-in)', () => {
    const metrics = new MetricsRecorder('r2').tick({
      nowMs: 0,
      elapsedMs: 0,
      state: 'running',
      rows,
      counters: zeroCounters(),
      limiter: quietLimiter,
    });
    expect(metrics.why).toBeUndefined();
    expect(metrics.backoff).toBeUndefined();
    expect(() => RunMetrics.parse(metrics)).not.toThrow();
  });

  it("carries the file's rows and times the rows still to send at the upload rate", () => {
    const recorder = new MetricsRecorder('r3');
    const at = (
      nowMs: number,
      uploaded: number,
      extra: { totalRows?: number; rowsLeft?: number },
    ) =>
      recorder.tick({
        nowMs,
        elapsedMs: nowMs,
        state: 'running',
        rows: { ...rows, rowsRead: uploaded + 10, uploaded, rejected: 10 },
        counters: zeroCounters(),
        limiter: quietLimiter,
        ...extra,
      });
    // no rate measured yet: the total, no ETA
    expect(at(0, 0, { totalRows: 1000 })).toMatchObject({ totalRows: 1000 });
    expect(at(0, 0, { totalRows: 1000 })).not.toHaveProperty('etaMs');
    // 100 rows a second; 890 rows not settled, of which the engine says 800 are still to send
    expect(at(1000, 100, { totalRows: 1000, rowsLeft: 800 }).etaMs).toBe(8000);
    expect(at(2000, 200, { totalRows: 1000 }).etaMs).toBe(7900);
    const unknown = at(3000, 300, {});
    expect(unknown).not.toHaveProperty('totalRows');
    expect(unknown).not.toHaveProperty('etaMs');
  });
});
