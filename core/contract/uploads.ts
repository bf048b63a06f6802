import { z } from 'zod';
import { Mapping } from '../csv/mapping';
import { channel, Empty } from './channel';
import { BatchEvent, RunMetrics, RunState, RunSummary, UploadStrategy } from './runs';

/**
 * Upload runs as the app's Upload, Failures and History screens drive them. The run shapes
 * (metrics, batch events, summary) are the engine's, from `./runs`.
 */

const runId = z.string().min(1).max(200);

/** What the consultant chose on the Upload screen. */
export const StartUploadRequest = z.object({
  orgId: z.string().min(1),
  listId: z.string().min(1),
  csvPath: z.string().min(1),
  mapping: Mapping,
  strategy: UploadStrategy.default('contacts'),
  /** Share of the org's limit left for the customer's own traffic, 0–90 % (default 10). */
  headroomPercent: z.number().min(0).max(90).default(10),
  /** Contacts per request, 1–1000 (Genesys: at most 1,000 per POST). */
  batchSize: z.number().int().min(1).max(1000).default(1000),
  /**
   * Genesys `doNotQueue` (docs/GENESYS.md): true = an updated contact keeps its place in the
   * dialing queue, so a re-send never makes the dialer call someone twice. Optional: engines
   * that do not pass it on yet leave the API's default.
   */
  doNotQueue: z.boolean().optional(),
});
export type StartUploadRequest = z.infer<typeof StartUploadRequest>;

/** One rejected, failed or skipped row as the Failures screen lists it. */
export const SettledRowShape = z.object({
  row: z.number().int(),
  contactId: z.string().optional(),
  reason: z.string(),
  status: z.number().int(),
  code: z.string().optional(),
  correlationId: z.string().optional(),
  data: z.record(z.string(), z.string()).optional(),
});
export type SettledRowShape = z.infer<typeof SettledRowShape>;

export const RowOutcomeFilter = z.enum(['failed', 'rejected', 'skipped']);
export type RowOutcomeFilter = z.infer<typeof RowOutcomeFilter>;

export const uploadsChannels = {
  'runs:start': channel(StartUploadRequest, z.object({ runId: z.string() })),
  'runs:pause': channel(z.object({ runId }), z.object({ state: RunState })),
  'runs:resume': channel(z.object({ runId }), z.object({ runId: z.string() })),
  'runs:cancel': channel(z.object({ runId }), z.object({ state: RunState })),
  /** Sends the run's failed rows again (same ids: idempotent upserts). */
  'runs:retryFailed': channel(z.object({ runId }), z.object({ runId: z.string() })),
  'runs:list': channel(
    Empty,
    z.array(RunSummary.extend({ contactListName: z.string().optional() })),
  ),
  'runs:get': channel(
    z.object({ runId }),
    z.object({ summary: RunSummary, active: z.boolean(), csvPath: z.string().optional() }),
  ),
  'runs:rows': channel(
    z.object({
      runId,
      outcome: RowOutcomeFilter,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    z.object({ rows: z.array(SettledRowShape), total: z.number().int() }),
  ),
  /**
   * The consultant decides not to send some failed or rejected rows: they move to `skipped`
   * (with the reason), so retries leave them alone and the accounting still adds up.
   */
  'runs:skipRows': channel(
    z.object({
      runId,
      rows: z.array(z.number().int().positive()).min(1).max(1_000_000),
      reason: z.string().trim().min(1).max(500).default('Skipped by the consultant'),
    }),
    z.object({ skipped: z.number().int(), summary: RunSummary }),
  ),
  /**
   * Sends corrected rows again: each edit is checked like the first pass (same mapping, same
   * rules, same id rule); the good ones are queued and a retry session starts at once, the
   * others come back with what is still wrong. Rows must be failed or rejected.
   */
  'runs:fixRows': channel(
    z.object({
      runId,
      rows: z
        .array(
          z.object({ row: z.number().int().positive(), data: z.record(z.string(), z.string()) }),
        )
        .min(1)
        .max(10_000),
    }),
    z.object({
      queued: z.number().int(),
      problems: z.array(z.object({ row: z.number().int(), messages: z.array(z.string()) })),
    }),
  ),
  /** Writes the rows of one outcome as CSV (reason columns first, formula-injection-safe). */
  'runs:exportRows': channel(
    z.object({
      runId,
      outcome: RowOutcomeFilter,
      path: z.string().min(1),
      /** Without it, an existing file is a `conflict` error and nothing is written. */
      overwrite: z.boolean().default(false),
    }),
    z.object({ path: z.string(), rows: z.number().int() }),
  ),
};

export const uploadsEvents = {
  'runs:metrics': RunMetrics,
  'runs:batch': BatchEvent,
  'runs:finished': RunSummary,
};
