import { expect } from 'vitest';
import { POST_CONTACTS_ROUTE } from '../../../../core/sandbox';
import { PER_CLIENT_300_PER_MINUTE } from '../../../../core/sandbox/scenarios';
import type { LimitLayerConfig } from '../../../../core/sandbox/types';
import { SIMULATED_AT_BENCH_SCALE } from '../../../bench/upload/cells';
import { simulateUpload, type SimulationOptions, type SimulationResult } from './simulated-org';

/**
 * The field report's two layers: the reported per-client fixed window (the one the
 * `inin-ratelimit-*` headers and a short Retry-After describe) and a hidden per-org fixed window
 * that only the uploads reach, so it opens with the first upload rather than with the limits read.
 */
export function reportedAndHiddenUploadWindows(scale: {
  reportedWindowMs: number;
  reported: number;
  hiddenWindowMs: number;
  hidden: number;
}): LimitLayerConfig[] {
  return [
    { ...PER_CLIENT_300_PER_MINUTE, requests: scale.reported, windowMs: scale.reportedWindowMs },
    {
      name: 'hidden',
      scope: 'org',
      endpoint: POST_CONTACTS_ROUTE,
      requests: scale.hidden,
      windowMs: scale.hiddenWindowMs,
      window: 'fixed',
      reported: false,
    },
  ];
}

type HiddenWindow = { hiddenWindowMs: number; hidden: number };
type RunOptions = Omit<SimulationOptions, 'layers' | 'retryAfterMode'> &
  Partial<Pick<SimulationOptions, 'retryAfterMode'>>;

/**
 * An upload at the upload bench's scale (a server second of 67 ms) through the field report's
 * layers: 40 per 2 s reported, `hidden` per `hiddenWindowMs` on the uploads only, and a short
 * Retry-After (it names the reported window's reset) unless `options` says otherwise.
 */
export function simulateBehindHiddenWindowAtBenchScale(
  window: HiddenWindow,
  options: RunOptions,
): Promise<SimulationResult> {
  return simulateUpload({
    ...SIMULATED_AT_BENCH_SCALE,
    layers: reportedAndHiddenUploadWindows({ reportedWindowMs: 2000, reported: 40, ...window }),
    retryAfterMode: 'short',
    ...options,
  });
}

/**
 * The same at Genesys scale: 300 per minute reported (the published limit the pace is seeded
 * from), answers after 150 ms, a whole-second short Retry-After unless `options` says otherwise.
 */
export function simulateBehindHiddenWindowAtGenesysScale(
  window: HiddenWindow,
  options: RunOptions,
): Promise<SimulationResult> {
  return simulateUpload({
    layers: reportedAndHiddenUploadWindows({ reportedWindowMs: 60_000, reported: 300, ...window }),
    retryAfterMode: 'short',
    latencyMs: 150,
    seedPerMinute: 300,
    ...options,
  });
}

/**
 * Asserts the run drew a 429 and the next request sent after the first one was admitted: the
 * wait after slow start's loss outlasted the hidden window the first upload opened, where a
 * request sent at a short Retry-After's end is refused as the first of a fresh reported window.
 */
export function expectAdmittedAfterFirstRefusal(run: SimulationResult): void {
  const first = run.requests.find((r) => !r.ok);
  expect(first).toBeDefined();
  const next = run.requests.find((r) => r.sentAtMs > first!.sentAtMs);
  expect(next?.ok).toBe(true);
}
