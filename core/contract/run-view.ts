import { z } from 'zod';
import { channel, Empty } from './channel';
import { CheckErrorRow, SchemaSource } from './csv-pipeline';
import { Mapping } from '../csv/mapping';
import { BatchEvent, RUN_ID_PATTERN, RunMetrics, RunSummary } from './runs';

/**
 * What a run's view needs beyond the run channels: the recent metrics history of a live run (so
 * a reloaded window redraws its charts), the runs alive in this process, and the whole-file
 * check shown before an upload writes anything. See docs/ARCHITECTURE.md.
 */

const runId = z.string().regex(RUN_ID_PATTERN, 'must be a run id such as 20260131-142501-a3f9');

/** The id the renderer gives a whole-file check, to match its progress and to cancel it. */
const checkJobId = z.string().min(1).max(200);

/** One live run as the sidebar lists it: its latest tick, or its summary if it has not ticked. */
export const LiveRunShape = z.object({
  runId: z.string(),
  orgName: z.string().optional(),
  contactListName: z.string().optional(),
  latest: RunMetrics.optional(),
  summary: RunSummary.optional(),
});
export type LiveRunShape = z.infer<typeof LiveRunShape>;

/** A run's recent history as the service kept it (oldest first, at most a few minutes). */
export const RunTrace = z.object({
  runId: z.string(),
  metrics: z.array(RunMetrics),
  /** Latest batches that needed attention (retries, splits, rejections), newest first. */
  incidents: z.array(BatchEvent),
  /** The summary of the last session that ended, if one did. */
  summary: RunSummary.optional(),
  /** True while a session of the run is going (running or pausing) in this process. */
  live: z.boolean(),
});
export type RunTrace = z.infer<typeof RunTrace>;

/** Extra facts about a run that the summary does not carry (from its meta file). */
export const RunFacts = z.object({
  runId: z.string(),
  /** When the run was first created; a retry or resume never changes it. */
  createdAt: z.string().optional(),
  csvFileName: z.string().optional(),
  contactListName: z.string().optional(),
  batchSize: z.number().optional(),
  headroomPercent: z.number().optional(),
  /**
   * The file's rows as the whole-file check before the upload counted them, while the file is
   * unchanged since: a paused run's total before a session of it reports one (`totalRows`).
   */
  fileRows: z.number().int().optional(),
  /**
   * When the run's journal was last written. A run whose summary says running but whose journal
   * moved seconds ago is alive in another process (the command line), not interrupted.
   */
  journalUpdatedAt: z.string().optional(),
  /**
   * Milliseconds the run spent sending, summed over its sessions (from the journal's session
   * markers): a retry or fix adds its time instead of replacing the run's.
   */
  activeMs: z.number().optional(),
  /** Rows the journal records as uploaded: progress of a run another process is running. */
  journalUploaded: z.number().optional(),
  /** The journal's last session marker opens a session (going somewhere, or its process died). */
  sessionOpen: z.boolean().optional(),
});
export type RunFacts = z.infer<typeof RunFacts>;

/** The whole-file check: every row mapped and validated, nothing written anywhere lasting. */
export const FileCheck = z.object({
  rowsRead: z.number().int(),
  clean: z.number().int(),
  rejected: z.number().int(),
  byRule: z.record(z.string(), z.number()),
  /**
   * Words for a rule's count that depend on the mapping checked, shown instead of the generic
   * ones: `duplicate-id` when the contact id is a hash (which values the rows share, what to do).
   */
  ruleNotes: z.record(z.string(), z.string()).default({}),
  headers: z.array(z.string()),
  /** The first rejected rows (up to `maxErrorRows`). */
  errorRows: z.array(CheckErrorRow),
  /**
   * Rows that will be sent but deserve a look: `uncallable` (no phone or email in any
   * contactable column) and `formula` (a cell a spreadsheet would evaluate). Counted per warning.
   */
  warned: z.number().int().default(0),
  byWarning: z.record(z.string(), z.number()).default({}),
  /** The first rows with a warning (up to `maxErrorRows`); `rules` holds the warnings. */
  warningRows: z.array(CheckErrorRow).default([]),
});
export type FileCheck = z.infer<typeof FileCheck>;

/** A contact list schema saved in the data folder (`schemas/<org id>/<list>.json`). */
export const SavedSchema = z.object({
  path: z.string(),
  orgId: z.string(),
  /** The list's name as saved (the file name when the file lacks one). */
  listName: z.string(),
  columnCount: z.number().int(),
  savedAt: z.string(),
});
export type SavedSchema = z.infer<typeof SavedSchema>;

export const runViewChannels = {
  /** Schemas saved from the Contact lists screen, newest first, to pick instead of typing a path. */
  'csv:savedSchemas': channel(Empty, z.array(SavedSchema)),
  /** A typed path as the app will open it: `~` expanded, made absolute. Nothing is opened. */
  'csv:resolvePath': channel(
    z.object({ path: z.string().max(4096) }),
    z.object({ absolutePath: z.string() }),
  ),
  'runs:live': channel(Empty, z.array(LiveRunShape)),
  'runs:trace': channel(z.object({ runId }), RunTrace),
  'runs:facts': channel(z.object({ runIds: z.array(runId).max(5000) }), z.array(RunFacts)),
  /**
   * Long-running; progress arrives as `csv:progress` events with the caller's `jobId`, and
   * `csv:cancelCheck` with the same `jobId` stops it (the call then fails with code `cancelled`).
   */
  'csv:check': channel(
    z.object({
      jobId: checkJobId,
      path: z.string().min(1).max(4096),
      /** The sheet of an .xlsx workbook (default: the first visible sheet with data). */
      sheet: z.string().min(1).max(200).optional(),
      source: SchemaSource,
      mapping: Mapping,
      maxErrorRows: z.number().int().min(0).max(5000).default(500),
    }),
    FileCheck,
  ),
  /** Stops a running `csv:check`; `cancelled` is false when no check with that id is running. */
  'csv:cancelCheck': channel(z.object({ jobId: checkJobId }), z.object({ cancelled: z.boolean() })),
};
