import { z } from 'zod';
import { CountedRows } from './file-rows';

/**
 * What a run folder remembers about how the run was started (`run.json`), so `resume` and
 * `retry` can rebuild it in another process. Holds no secret and no token. Validated when
 * read: a hand-edited or truncated file is refused with a message, never half-trusted.
 */
export const RunMeta = z.object({
  runId: z.string().min(1),
  createdAt: z.string(),
  orgName: z.string(),
  /** The org's limiter key: one limiter per org and OAuth client (see `orgKeyFor`). */
  orgKey: z.string().min(1),
  apiUrl: z.string().min(1),
  clientId: z.string(),
  /** The saved org profile the run used, if any. */
  profileId: z.string().optional(),
  contactListId: z.string().min(1),
  /** The list's name when the starter knew it, for History. */
  contactListName: z.string().optional(),
  strategy: z.enum(['contacts', 'import']),
  csvPath: z.string().optional(),
  /** The sheet of an .xlsx workbook the run reads (absent: the first visible sheet with data). */
  sheet: z.string().optional(),
  /** The resolved mapping (JSON), so a resume maps rows exactly as the first session did. */
  mapping: z.unknown().optional(),
  defaultCountry: z.string().optional(),
  /**
   * The contact list as read when the run started (its JSON), so the run's reconciliation maps
   * rows exactly as the run did without signing in again.
   */
  list: z.unknown().optional(),
  batchSize: z.number().int().min(1),
  headroom: z.number().min(0).max(1),
  /**
   * What a write does to contacts already in the list (absent in older run.json: the defaults,
   * doNotQueue=true). See `ContactWriteOptions` in contacts/transport.ts.
   */
  requeueUpdated: z.boolean().optional(),
  priority: z.boolean().optional(),
  clearSystemData: z.boolean().optional(),
  /** A 429 asking to wait longer than this pauses the run instead (default 120). */
  maxRetryAfterSeconds: z.number().int().min(1).optional(),
  /**
   * The file's rows as the whole-file check before the upload counted them, with the file's size
   * and mtime then: the run's total for its progress and ETA, and its work left, from its first
   * request, while the file is unchanged (`file-rows.ts`). Absent: no check the starter ran on
   * this file as it was (the command line, an older build).
   */
  fileRows: CountedRows.optional(),
});
export type RunMeta = z.infer<typeof RunMeta>;

/**
 * The one meaning of `orgKey`: Genesys limits requests per OAuth client (docs/GENESYS.md#layered-limits), so every run through the same API and client shares one limiter, whichever screen
 * or command started it.
 */
export function orgKeyFor(apiUrl: string, clientId: string): string {
  return `${apiUrl.replace(/\/+$/, '')}|${clientId}`;
}

/** What a starter knows about a new run; `newRunMeta` fills in the rest. */
export type NewRunInput = Omit<RunMeta, 'createdAt' | 'orgKey'>;

/** The `run.json` of a new run: the one place a RunMeta is built. */
export function newRunMeta(input: NewRunInput, now = new Date()): RunMeta {
  return {
    ...input,
    createdAt: now.toISOString(),
    orgKey: orgKeyFor(input.apiUrl, input.clientId),
  };
}
