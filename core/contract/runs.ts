import { z } from 'zod';

/**
 * Upload runs as the app contract carries them (docs/ARCHITECTURE.md: accounting and throttle). The engine's own types are
 * inferred from these schemas, so the desktop app, the CLI and the journal agree on one shape.
 */

/** Where a run is in its life. `stopped` = a configuration error (403/404) ended it early. */
export const RunState = z.enum([
  'created',
  'running',
  'pausing',
  'paused',
  'completed',
  'cancelled',
  'stopped',
]);
export type RunState = z.infer<typeof RunState>;

/** How rows travel: one POST per batch (per-row results) or one bulk CSV import (no per-row results). */
export const UploadStrategy = z.enum(['contacts', 'import']);
export type UploadStrategy = z.infer<typeof UploadStrategy>;

/** One failure as recorded for a consultant and for the log (docs/GENESYS.md: keep the correlation id). */
export const FailureDetail = z.object({
  /** Human-readable reason: the server's message, or what the engine decided and why. */
  reason: z.string(),
  /** HTTP status, or 0 for network errors / local decisions. */
  status: z.number().int(),
  code: z.string().optional(),
  correlationId: z.string().optional(),
});
export type FailureDetail = z.infer<typeof FailureDetail>;

/** The four sets every row read ends in (docs/ARCHITECTURE.md): rows read = the sum of the four. */
export const RowAccounting = z.object({
  rowsRead: z.number().int(),
  uploaded: z.number().int(),
  rejected: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});
export type RowAccounting = z.infer<typeof RowAccounting>;

/**
 * What the org's limiter believes and why, when the engine reports it (all optional: the run view
 * shows what is there). Rates are requests per second; waits in milliseconds.
 */
export const ThrottleSnapshot = z.object({
  /** The limit Genesys reports for this client (limits API or `inin-ratelimit-allowed`). */
  reportedLimitPerSecond: z.number().optional(),
  /** Share of the reported limit left for the customer's own traffic, 0..1. */
  headroom: z.number().optional(),
  /** A tighter limit learned from 429s that the headers did not describe. */
  learnedLimitPerSecond: z.number().optional(),
  /** Retry-After of the latest 429, as received. */
  retryAfterMs: z.number().optional(),
  /** The wait actually taken after the latest 429 (≥ Retry-After when the header is unreliable). */
  backoffWaitMs: z.number().optional(),
  /** One plain sentence: what the throttle is doing and why. */
  why: z.string().optional(),
});
export type ThrottleSnapshot = z.infer<typeof ThrottleSnapshot>;

/** Live numbers of one run, emitted at most 10 times a second. Rates are per second. */
export const RunMetrics = z.object({
  runId: z.string(),
  state: RunState,
  elapsedMs: z.number(),
  ...RowAccounting.shape,
  /** Rows read but not settled yet (queued, in flight or waiting for a retry). */
  pending: z.number().int(),
  rowsPerSecond: z.number(),
  requestsPerSecond: z.number(),
  requests: z.number().int(),
  ok: z.number().int(),
  throttled: z.number().int(),
  serverErrors: z.number().int(),
  networkErrors: z.number().int(),
  retries: z.number().int(),
  /** The org limiter's current pacing rate, requests per second. */
  pacingRatePerSecond: z.number(),
  concurrency: z.number().int(),
  inFlight: z.number().int(),
  /** Remaining wait imposed by the last 429 (0 when not backing off), milliseconds. */
  currentBackoffMs: z.number(),
  latencyP50Ms: z.number(),
  latencyP95Ms: z.number(),
  /** `inin-ratelimit-count / inin-ratelimit-allowed` of the latest response, 0..1, when known. */
  budgetUsed: z.number().optional(),
  /** Estimated time to finish, when the total row count is known. */
  etaMs: z.number().optional(),
  /** The limiter's beliefs and reasons, when the engine reports them. */
  throttle: ThrottleSnapshot.optional(),
});
export type RunMetrics = z.infer<typeof RunMetrics>;

/** What happened to one batch (or one bisected part of it), for the failures view. */
export const BatchEvent = z.object({
  runId: z.string(),
  batchId: z.string(),
  outcome: z.enum(['uploaded', 'retrying', 'split', 'rejected', 'failed']),
  rows: z.number().int(),
  attempt: z.number().int(),
  detail: FailureDetail.optional(),
});
export type BatchEvent = z.infer<typeof BatchEvent>;

/** The accounting invariant (docs/ARCHITECTURE.md) as checked at the end of a run. */
export const InvariantCheck = z.object({
  holds: z.boolean(),
  /** Empty when it holds; otherwise what did not add up. */
  problems: z.array(z.string()),
});
export type InvariantCheck = z.infer<typeof InvariantCheck>;

/** The durable summary of a run (`summary.json` in its folder). */
export const RunSummary = z.object({
  runId: z.string(),
  orgName: z.string(),
  contactListId: z.string(),
  strategy: UploadStrategy,
  state: RunState,
  /** Why the run stopped or was cancelled, for the consultant. */
  stateReason: z.string().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  elapsedMs: z.number(),
  ...RowAccounting.shape,
  requests: z.number().int(),
  throttled: z.number().int(),
  retries: z.number().int(),
  contactsPerSecond: z.number(),
  invariant: InvariantCheck,
  runDir: z.string(),
});
export type RunSummary = z.infer<typeof RunSummary>;
