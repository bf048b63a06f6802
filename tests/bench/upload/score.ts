// How the upload bench scores one sender's run, from the Sandbox's records alone (the same for
// every sender): throughput over the span the Sandbox saw, and the ceiling over that same span.
import { BATCH, ceilingRatePerSecond, scheduleStartsAtFirstPost, type Cell } from './cells';

/** What the bench measures a job by, all on the Sandbox's clock (ms) and from its own records. */
export interface ListStats {
  /** Contacts stored (copies included) and distinct contacts (by their Key column). */
  stored: number;
  unique: number;
  /** `POST .../contacts` requests to the list, and how many were answered 429. */
  posts: number;
  throttled: number;
  /** Arrival of the first `POST .../contacts` to the list (any answer). */
  firstPostMs: number;
  /** Arrival of the last `POST .../contacts` that stored its batch (answered 200, or committed then dropped). */
  lastStoringPostMs: number;
  /** Contacts in that last storing request. */
  lastStoringCount: number;
  /** Arrival of the org's first `/api/v2` request (a limits read, or the first POST). */
  firstApiRequestMs: number;
}

/** A run's figures, contacts per second and seconds, read on the Sandbox. */
export interface SandboxScore {
  contactsPerSecond: number;
  ceilingContactsPerSecond: number;
  spanSeconds: number;
  lost: number;
  duplicated: number;
}

/**
 * Distinct contacts stored per second between the arrival of the first `POST .../contacts` and
 * that of the last one that stored its batch, that last batch left out (N requests paced exactly
 * at R arrive over (N − 1) / R seconds, so they score R); and the cell's ceiling averaged over
 * the same span, the schedule's time zero being the Sandbox's own (the first request the
 * scheduled layer saw), not the sender's.
 */
export function scoreOnSandbox(stats: ListStats, cell: Cell, rows: number): SandboxScore {
  const spanMs = stats.lastStoringPostMs - stats.firstPostMs;
  const originMs = scheduleStartsAtFirstPost(cell) ? stats.firstPostMs : stats.firstApiRequestMs;
  return {
    contactsPerSecond: (stats.unique - stats.lastStoringCount) / (spanMs / 1000),
    ceilingContactsPerSecond:
      ceilingRatePerSecond(cell, spanMs, stats.firstPostMs - originMs) * BATCH,
    spanSeconds: spanMs / 1000,
    lost: rows - stats.unique,
    duplicated: stats.stored - stats.unique,
  };
}
