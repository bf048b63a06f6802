import type { Random } from './rng';
import type { FaultConfig } from './types';

/** What to do to one API request instead of (or after) handling it normally. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'reset' }
  | { kind: 'timeout' }
  | { kind: 'commit-then-drop' };

const STATUS_FAULTS = [
  ['status500', 500],
  ['status502', 502],
  ['status503', 503],
  ['status504', 504],
] as const;

/**
 * Draws the fault for one request from the seeded generator (core/sandbox/README.md: 5xx, connection reset,
 * timeout, commit-then-drop). One draw per request, so a seed replays the same sequence for the
 * same request order. Routes outside `faults.endpoints` (when set) never get faults.
 */
export function drawFault(faults: FaultConfig, route: string, random: Random): FaultDecision {
  if (faults.endpoints.length > 0 && !faults.endpoints.includes(route)) return { kind: 'none' };
  let threshold = random();
  for (const [name, status] of STATUS_FAULTS) {
    threshold -= faults[name];
    if (threshold < 0) return { kind: 'status', status };
  }
  threshold -= faults.connectionReset;
  if (threshold < 0) return { kind: 'reset' };
  threshold -= faults.timeout;
  if (threshold < 0) return { kind: 'timeout' };
  threshold -= faults.commitThenDrop;
  if (threshold < 0) return { kind: 'commit-then-drop' };
  return { kind: 'none' };
}

/** Latency for one request: uniform in [minMs, maxMs] plus an occasional spike; unused parts draw nothing (keeps seeds stable). */
export function drawLatencyMs(faults: FaultConfig, random: Random): number {
  const { minMs, maxMs, spikeProbability, spikeMs } = faults.latency;
  const base = maxMs <= 0 ? 0 : Math.round(minMs + random() * Math.max(0, maxMs - minMs));
  if (spikeProbability <= 0) return base;
  return random() < spikeProbability ? base + spikeMs : base;
}

/** Genesys error codes for injected 5xx answers. */
export const FAULT_ERROR_CODES: Record<500 | 502 | 503 | 504, { code: string; message: string }> = {
  500: {
    code: 'internal.server.error',
    message: 'The server encountered an unexpected condition.',
  },
  502: {
    code: 'bad.gateway',
    message: 'The gateway received an invalid response from an upstream service.',
  },
  503: {
    code: 'service.unavailable',
    message: 'The service is currently unavailable. Please try again.',
  },
  504: {
    code: 'gateway.timeout',
    message: 'The gateway timed out waiting for an upstream service.',
  },
};
