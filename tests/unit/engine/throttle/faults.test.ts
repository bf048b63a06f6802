import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../../../core/sandbox';
import type { DeepPartial, FaultConfig, LimitLayerConfig } from '../../../../core/sandbox/types';
import {
  FLAKY_FAULTS,
  REPORTED,
  SCALED_LIMITER,
  SCALED_RETRY_BACKOFF,
} from '../../../bench/upload/cells';
import { simulateUpload, type SimulationOptions } from './simulated-org';

// The bench's field-report cell on a fake clock (time scaled by 15, as tests/bench/upload/cells.ts
// scales it): the reported layer 40 per 2 s, a hidden per-org fixed window of 24 per 2 s (12/s)
// binds, Retry-After describes the reported layer only; the engine's time constants scaled alike.
const hidden: LimitLayerConfig = {
  name: 'contacts.upload.per.org (hidden)',
  scope: 'org',
  requests: 24,
  windowMs: 2000,
  window: 'fixed',
  reported: false,
};
const HIDDEN_RATE = 12;
const DURATION_MS = 60_000;

function faults(extra: DeepPartial<FaultConfig>): FaultConfig {
  return buildConfig('demo', { faults: extra }).faults;
}

/** The bench's "flaky" faults (tests/bench/upload/cells.ts). */
const FLAKY = faults(FLAKY_FAULTS);

function run(seed: number, extra: Partial<SimulationOptions>) {
  return simulateUpload({
    layers: [REPORTED, hidden],
    retryAfterMode: 'short',
    durationMs: DURATION_MS,
    latencyMs: 5,
    seedPerMinute: 600,
    seed,
    retryBackoff: SCALED_RETRY_BACKOFF,
    limiter: SCALED_LIMITER,
    ...extra,
  });
}

/** Requests the limits let through (every answer but a 429 and an expired token's 401), per second, from `fromMs` on. */
function passedPerSecond(result: Awaited<ReturnType<typeof run>>, fromMs: number): number {
  const passed = result.requests.filter((r) => r.passedLimits && r.sentAtMs >= fromMs);
  return passed.length / ((DURATION_MS - fromMs) / 1000);
}

describe('OrgLimiter under faults (fake clock, the bench scale)', () => {
  it('keeps the pace of a run without faults when one request in ten draws a 503', async () => {
    for (const seed of [1, 2, 3]) {
      const clean = await run(seed, {});
      const failing = await run(seed, { faults: faults({ status503: 0.1 }) });
      const cleanRate = passedPerSecond(clean, 20_000);
      const failingRate = passedPerSecond(failing, 20_000);
      // a 503 got past the limits: counted as nothing, it read as a limit 10% lower
      expect(failingRate).toBeGreaterThanOrEqual(cleanRate * 0.97);
      expect(failingRate).toBeGreaterThanOrEqual(HIDDEN_RATE * 0.9);
    }
  });

  it('holds 90% of the hidden limit with few 429s under the flaky faults, on several seeds', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const result = await run(seed, { faults: FLAKY, latencyJitterMs: 10, timerLateMs: 20 });
      expect(passedPerSecond(result, 20_000)).toBeGreaterThanOrEqual(HIDDEN_RATE * 0.9);
      const after = result.requests.filter((r) => r.sentAtMs >= 20_000);
      expect(after.filter((r) => !r.ok).length / after.length).toBeLessThanOrEqual(0.02);
    }
  });
});
