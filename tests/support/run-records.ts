import type { RunMetrics, RunSummary } from '../../core/contract';

/**
 * Whole RunMetrics and RunSummary records for tests that feed the run view or a run folder by
 * hand: every counter zero, so a test spells out only the fields it is about.
 */

/** A running run's metrics tick at `elapsedMs` with every counter zero, then `overrides`. */
export function zeroMetrics(
  runId: string,
  elapsedMs: number,
  overrides: Partial<RunMetrics> = {},
): RunMetrics {
  return {
    runId,
    state: 'running',
    elapsedMs,
    rowsRead: 0,
    uploaded: 0,
    rejected: 0,
    failed: 0,
    skipped: 0,
    pending: 0,
    rowsPerSecond: 0,
    requestsPerSecond: 0,
    requests: 0,
    ok: 0,
    throttled: 0,
    serverErrors: 0,
    networkErrors: 0,
    retries: 0,
    pacingRatePerSecond: 1,
    concurrency: 1,
    inFlight: 0,
    currentBackoffMs: 0,
    latencyP50Ms: 0,
    latencyP95Ms: 0,
    ...overrides,
  };
}

/** A completed contacts run's summary, every counter zero, invariant held, then `overrides`. */
export function zeroSummary(runId: string, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId,
    orgName: 'Sandbox',
    contactListId: 'list',
    strategy: 'contacts',
    state: 'completed',
    startedAt: '2026-11-30T20:00:00.000Z',
    updatedAt: '2026-11-30T20:00:01.000Z',
    elapsedMs: 0,
    rowsRead: 0,
    uploaded: 0,
    rejected: 0,
    failed: 0,
    skipped: 0,
    requests: 0,
    throttled: 0,
    retries: 0,
    contactsPerSecond: 0,
    invariant: { holds: true, problems: [] },
    runDir: '/tmp/none',
    ...overrides,
  };
}
