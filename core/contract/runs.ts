import { z } from 'zod';
import { Mapping } from '../csv/mapping';
import { channel, Empty } from './channel';

/**
 * Upload runs as the app contract carries them (docs/ARCHITECTURE.md). The engine's own types are
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

/** One failure as recorded for a consultant and for the log (docs/GENESYS.md#error-body-shape: keep the correlation id). */
export const FailureDetail = z.object({
  /** Human-readable reason: the server's message, or what the engine decided and why. */
  reason: z.string(),
  /** HTTP status, or 0 for network errors / local decisions. */
  status: z.number().int(),
  code: z.string().optional(),
  correlationId: z.string().optional(),
});
export type FailureDetail = z.infer<typeof FailureDetail>;

/** The four sets every row read ends in (docs/ARCHITECTURE.md, The accounting invariant): rows read = the sum of the four. */
export const RowAccounting = z.object({
  rowsRead: z.number().int(),
  uploaded: z.number().int(),
  rejected: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});
export type RowAccounting = z.infer<typeof RowAccounting>;

/** Live numbers of one run, emitted at most 10 times a second. Rates are per second. */
export const RunMetrics = z.object({
  runId: z.string(),
  state: RunState,
  elapsedMs: z.number(),
  ...RowAccounting.shape,
  /** Rows read but not settled yet (queued, in flight or waiting for a retry). */
  pending: z.number().int(),
  /**
   * Of `failed`, the rows an earlier cancel or stop left not stored (`CANCELLED_NOT_SENT_CODE`),
   * which this session sends: during "Upload the rest" they count as failed until each settles
   * again. Absent when none.
   */
  notSent: z.number().int().optional(),
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
  /** The limit the `inin-ratelimit-*` headers describe, requests per minute, once seen. */
  reportedLimitPerMinute: z.number().optional(),
  /** Share of the reported limit left for the customer's own traffic (0.1 = 10%). */
  headroom: z.number().optional(),
  /** The tighter limit learned from 429s the headers did not explain, per minute, once met. */
  learnedLimitPerMinute: z.number().optional(),
  /** The org-wide wait after the last 429, while it lasts. */
  backoff: z
    .object({
      /** The Retry-After received, milliseconds (absent: the 429 had none). */
      retryAfterMs: z.number().optional(),
      /** The wait actually taken, milliseconds. */
      waitMs: z.number(),
      /** When the wait ends, on the run's clock (milliseconds, like `elapsedMs`'s clock). */
      untilMs: z.number(),
      /** Retry-After asked for more than the cap: paused for a long Retry-After. */
      pausedForLongRetryAfter: z.boolean(),
    })
    .optional(),
  /** What the throttle is doing and why, in one sentence a consultant can read. */
  why: z.string().optional(),
  /**
   * Rows in the run's file, when known: the whole-file check's count for the file as it is (an
   * upload started from the app), or every row read once the reader reached the end. Absent in
   * a retry of failed rows, and in ticks of builds before it.
   */
  totalRows: z.number().int().optional(),
  /** Estimated time to finish, when the total row count is known. */
  etaMs: z.number().optional(),
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

/** The accounting invariant (docs/ARCHITECTURE.md, The accounting invariant) as checked at the end of a run. */
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
  /**
   * Of `failed`, the rows a cancel or a stop recorded before their request was ever sent
   * (`CANCELLED_NOT_SENT_CODE`): a resume sends them with the rows never read. Absent in
   * summaries written before it was counted.
   */
  notSent: z.number().int().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/**
 * The failure code of a row a cancel, or a stop (a 403 or 404 that no retry can fix), recorded
 * before its request was sent (queued, batched or only read): Genesys never saw it, so resuming
 * the run ("Upload the rest", `sluice resume`) sends it like a row never read
 * (docs/ARCHITECTURE.md, "Cancel and the rest of the file"). A row whose request went out and
 * drew no definite answer keeps the plain reason and waits for an explicit retry.
 */
export const CANCELLED_NOT_SENT_CODE = 'cancelled-not-sent';

/**
 * What "Upload the rest" of a cancelled or stopped run sends: the rows read but never sent, and
 * the rows never read.
 */
export interface RunRest {
  /** What ended the run early: the consultant's cancel, or a stop (a 403 or 404). */
  cause: 'cancel' | 'stop';
  /** Rows read before the cancel or stop whose request was never sent. */
  notSent: number;
  /** Rows of the file never read (0 when every row was read), or undefined when the file's count is not known. */
  notRead: number | undefined;
  /** The two together (the rows not read counted as 0 when unknown). */
  total: number;
  /** Rows recorded as failed that the rest does not send (sent without an answer, or failed before). */
  otherFailed: number;
}

/**
 * The rest of a cancelled or stopped run, for the run view, its HTML report and the CLI's
 * summary; undefined for any other run, and when nothing is left to send (every row read was
 * sent and every row of the file was read, or the count of the file is unknown and nothing read
 * waits).
 */
export function runRest(
  summary: Pick<RunSummary, 'state' | 'rowsRead' | 'failed' | 'notSent'>,
  fileRows: number | undefined,
): RunRest | undefined {
  if (summary.state !== 'cancelled' && summary.state !== 'stopped') return undefined;
  const notSent = summary.notSent ?? 0;
  const notRead = fileRows === undefined ? undefined : Math.max(0, fileRows - summary.rowsRead);
  const total = notSent + (notRead ?? 0);
  if (total === 0) return undefined;
  return {
    cause: summary.state === 'cancelled' ? 'cancel' : 'stop',
    notSent,
    notRead,
    total,
    otherFailed: Math.max(0, summary.failed - notSent),
  };
}

/**
 * Rows of the file a cancelled or stopped run never read: the file's rows (counted before the
 * run, while the file is unchanged: docs/ARCHITECTURE.md, "Probes priced by the work left") less
 * the rows read. Undefined for any other run, when the count is not known, or when every row was
 * read. The run view, its HTML report and the CLI's summary all say it from here.
 */
export function rowsNotRead(
  summary: Pick<RunSummary, 'state' | 'rowsRead'>,
  fileRows: number | undefined,
): number | undefined {
  if ((summary.state !== 'cancelled' && summary.state !== 'stopped') || fileRows === undefined)
    return undefined;
  const left = fileRows - summary.rowsRead;
  return left > 0 ? left : undefined;
}

// The `runs:*` channels and events: what the Upload, Failures and History screens call.

/**
 * Upload runs as the app's Upload, Failures and History screens drive them. The run shapes
 * (metrics, batch events, summary) are the engine's, from `./runs`.
 */

/**
 * A run id as `RunManager.newRunId` makes it (`20260131-142501-a3f9`: UTC stamp and random hex).
 * Only this shape crosses the contract: a path or `..` here would reach files outside the runs
 * folder. Run folders given as paths are a command-line convenience only.
 */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{1,8}$/;

const runId = z
  .string()
  .regex(RUN_ID_PATTERN, 'must be a run id such as 20260131-142501-a3f9 (see History)');

/**
 * What a run does to contacts the list already has, and how long a 429 may hold it
 * (docs/GENESYS.md#contact-do-not-queue, #contact-priority, #contact-clear-system-data,
 * #retry-after-long). Absent means the default, which never makes a dialer call anyone again.
 */
export const RunWriteOptions = z.object({
  /** Re-queue updated contacts (doNotQueue=false): a dialer may call them again. Default false. */
  requeueUpdated: z.boolean().optional(),
  /** New and re-queued contacts go to the front of the dialing queue. Default false. */
  priority: z.boolean().optional(),
  /** Clear updated contacts' call attempts and results. Default false. */
  clearSystemData: z.boolean().optional(),
  /** A 429 asking to wait longer than this pauses the run instead, seconds (30–3600, default 120). */
  maxRetryAfterSeconds: z.number().int().min(30).max(3600).optional(),
});
export type RunWriteOptions = z.infer<typeof RunWriteOptions>;

/** What the consultant chose on the Upload screen. */
export const StartUploadRequest = z.object({
  orgId: z.string().min(1).max(200),
  listId: z.string().min(1).max(200),
  csvPath: z.string().min(1).max(4096),
  /** The sheet of an .xlsx workbook to upload (default: the first visible sheet with data). */
  sheet: z.string().min(1).max(200).optional(),
  mapping: Mapping,
  strategy: UploadStrategy.default('contacts'),
  /** Share of the org's limit left for the customer's own traffic, 0–90 % (default 10). */
  headroomPercent: z.number().min(0).max(90).default(10),
  /** Contacts per request, 1–1000 (Genesys: at most 1,000 per POST). */
  batchSize: z.number().int().min(1).max(1000).default(1000),
  ...RunWriteOptions.shape,
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

/**
 * What the consultant narrows a run's rows to on the Failures screen; the host applies it, so a
 * filter over 100,000 rows sends only the page in sight. Empty strings mean "any".
 */
export const SettledRowsFilter = z.object({
  /** HTTP status as text ("0" for rows checked locally). */
  status: z.string().max(10).default(''),
  /** Rule or Genesys error code. */
  code: z.string().max(200).default(''),
  /** Case-insensitive text in the reason or a value, or an exact row number. */
  text: z.string().max(500).default(''),
});
export type SettledRowsFilter = z.infer<typeof SettledRowsFilter>;

/** How many rows of one outcome have each value (status or code), most first. */
export const SettledRowsFacet = z.array(z.object({ value: z.string(), rows: z.number().int() }));
export type SettledRowsFacet = z.infer<typeof SettledRowsFacet>;

export const runsChannels = {
  'runs:start': channel(StartUploadRequest, z.object({ runId: z.string() })),
  'runs:pause': channel(z.object({ runId }), z.object({ state: RunState })),
  'runs:resume': channel(z.object({ runId }), z.object({ runId: z.string() })),
  'runs:cancel': channel(z.object({ runId }), z.object({ state: RunState })),
  /** Sends the run's failed rows again (same ids: idempotent upserts). */
  /** Sends the run's failed rows again: every one, or only `rows` (row numbers) of them. */
  'runs:retryFailed': channel(
    z.object({
      runId,
      rows: z.array(z.number().int().positive()).min(1).max(1_000_000).optional(),
    }),
    z.object({ runId: z.string() }),
  ),
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
      filter: SettledRowsFilter.optional(),
    }),
    z.object({
      rows: z.array(SettledRowShape),
      /** Rows that match the filter (all rows of the outcome without one). */
      total: z.number().int(),
      /** Rows of the outcome, whatever the filter. */
      outcomeTotal: z.number().int(),
      /** Counts by status and by code over every row of the outcome, for the filter choices. */
      facets: z.object({ statuses: SettledRowsFacet, codes: SettledRowsFacet }),
    }),
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
    z.object({
      skipped: z.number().int(),
      /** The row numbers skipped now, so an Undo gives back exactly these. */
      rows: z.array(z.number().int()),
      summary: RunSummary,
    }),
  ),
  /**
   * Undoes a skip: skipped rows go back to what they were before (failed, so a retry sends them,
   * or rejected). Rows the run itself skipped (a repeated contact id) stay skipped.
   */
  'runs:unskipRows': channel(
    z.object({ runId, rows: z.array(z.number().int().positive()).min(1).max(1_000_000) }),
    z.object({ failed: z.number().int(), rejected: z.number().int(), summary: RunSummary }),
  ),
  /**
   * Removes a finished (or paused, not live) run from History: its folder moves to the trash,
   * where `runs:restoreRemoved` can bring it back for `keptForMs` at least before it is deleted.
   * A run live in this window or another process is refused (`conflict`).
   */
  'runs:remove': channel(
    z.object({ runId }),
    z.object({ removed: RunSummary, keptForMs: z.number().int() }),
  ),
  /** Brings a run removed moments ago back into History (`not-found` once deleted for good). */
  'runs:restoreRemoved': channel(z.object({ runId }), z.object({ summary: RunSummary })),
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
  /**
   * Writes the rows of one outcome (reason columns first, formula-injection-safe) as CSV or,
   * when the path ends in .xlsx, as a workbook.
   */
  'runs:exportRows': channel(
    z.object({
      runId,
      outcome: RowOutcomeFilter,
      path: z.string().min(1).max(4096),
      /** Without it, an existing file is a `conflict` error and nothing is written. */
      overwrite: z.boolean().default(false),
      /** Only the rows that pass it, as `runs:rows` filters them; default every row of the outcome. */
      filter: SettledRowsFilter.optional(),
    }),
    z.object({ path: z.string(), rows: z.number().int() }),
  ),
  /**
   * Writes the run's reconciliation: one row per source row (source row number, CRM id, Genesys
   * contact id, outcome, reason), CSV or, when the path ends in .xlsx, a workbook. Formula-safe.
   */
  'runs:exportReconciliation': channel(
    z.object({
      runId,
      path: z.string().min(1).max(4096),
      /** Without it, an existing file is an `exists` error and nothing is written. */
      overwrite: z.boolean().default(false),
    }),
    z.object({
      path: z.string(),
      rows: z.number().int(),
      /** How the Genesys contact ids were chosen, in words. */
      idFrom: z.string(),
    }),
  ),
};

export const runsEvents = {
  'runs:metrics': RunMetrics,
  'runs:batch': BatchEvent,
  'runs:finished': RunSummary,
};
