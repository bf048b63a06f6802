import { countOf } from '../../text/count';
/**
 * Reading the progress of a bulk import. Genesys reports it in
 * `GET /contactlists/{id}/importstatus` as `{state, totalRecords, completedRecords,
 * percentComplete, failureReason?}` where `state` is only `IN_PROGRESS` or `FAILED`: a finished
 * import reads 100 percent (or completedRecords = totalRecords), with or without a state
 * (docs/GENESYS.md#import-status-states). Small imports may never update it, and the status of
 * an earlier import stays there until a new one replaces it (docs/GENESYS.md#import-status-stale).
 * So a status only counts when it differs from the one seen before the upload; otherwise the
 * list's `size` is watched instead (docs/GENESYS.md#list-size-lag). Pure: the caller does the
 * HTTP and the clock.
 */

/** `importstatus` as the engine reads it (`state` upper-cased; absent when Genesys sent none). */
export interface ImportStatusView {
  state?: string;
  totalRecords?: number;
  completedRecords?: number;
  percentComplete?: number;
  failureReason?: string;
}

/** Reads an `importstatus` body; undefined when it has neither a state nor any progress number. */
export function parseImportStatus(json: unknown): ImportStatusView | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const number = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  const total = number(record.totalRecords);
  const completed = number(record.completedRecords);
  const percent = number(record.percentComplete);
  const state =
    typeof record.state === 'string' && record.state !== ''
      ? record.state.toUpperCase()
      : undefined;
  if (
    state === undefined &&
    total === undefined &&
    completed === undefined &&
    percent === undefined
  )
    return undefined;
  return {
    ...(state !== undefined ? { state } : {}),
    ...(total !== undefined ? { totalRecords: total } : {}),
    ...(completed !== undefined ? { completedRecords: completed } : {}),
    ...(percent !== undefined ? { percentComplete: percent } : {}),
    ...(typeof record.failureReason === 'string' && record.failureReason !== ''
      ? { failureReason: record.failureReason }
      : {}),
  };
}

/** Whether two statuses are the same report (a status unchanged since before the upload is stale). */
export function sameImportStatus(
  a: ImportStatusView | undefined,
  b: ImportStatusView | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.state === b.state &&
    a.totalRecords === b.totalRecords &&
    a.completedRecords === b.completedRecords &&
    a.percentComplete === b.percentComplete &&
    a.failureReason === b.failureReason
  );
}

/**
 * Whether a status reports a finished import: 100 percent, or every record completed. The state
 * does not matter (IN_PROGRESS at 100 percent, or none at all), except FAILED.
 */
export function importFinished(status: ImportStatusView): boolean {
  if (status.state === 'FAILED') return false;
  if (status.percentComplete !== undefined && status.percentComplete >= 100) return true;
  return (
    status.totalRecords !== undefined &&
    status.completedRecords !== undefined &&
    status.totalRecords > 0 &&
    status.completedRecords >= status.totalRecords
  );
}

/** What one poll says about the import. `completedRecords` is progress, capped at the rows sent. */
export type ImportVerdict =
  | { kind: 'waiting' }
  | { kind: 'importing'; completedRecords: number; via: 'status' | 'size' }
  | { kind: 'completed'; via: 'status' | 'size'; note?: string }
  | { kind: 'failed'; reason: string; failureReason?: string; completedRecords: number };

/** What the watch needs to know about the import it follows. */
export interface ImportWatchOptions {
  /** Rows in the uploaded file. */
  rows: number;
  /** `importstatus` before the upload (undefined when there was none: 404). */
  baseline: ImportStatusView | undefined;
  /** The list's `size` just before the upload (undefined when Genesys did not say). */
  sizeBefore: number | undefined;
  /** Without a fresh status, the import counts as done once the size has not moved for this long, ms. */
  settleMs: number;
  /** When the file upload finished (clock ms). */
  uploadedAtMs: number;
}

/**
 * Follows one import through successive polls. A fresh status decides (finished, FAILED, or
 * progress); without one, the list size decides: done when it grew by the rows sent, or when it
 * stopped moving for `settleMs` (ids already in the list are updated in place and do not grow
 * it), and the verdict says which, for the run's `stateReason`.
 */
export class ImportWatch {
  private lastSize: number | undefined;
  private lastChangeMs: number;
  private freshSeen = false;

  constructor(private readonly options: ImportWatchOptions) {
    this.lastSize = options.sizeBefore;
    this.lastChangeMs = options.uploadedAtMs;
  }

  /** Whether the status has changed since the upload at least once (then size is not needed). */
  get statusSeen(): boolean {
    return this.freshSeen;
  }

  /** Reads one `importstatus` answer (undefined for a 404). Returns undefined when it is stale. */
  observeStatus(status: ImportStatusView | undefined): ImportVerdict | undefined {
    if (status === undefined) return undefined;
    if (!this.freshSeen && sameImportStatus(status, this.options.baseline)) return undefined;
    this.freshSeen = true;
    const completed = Math.min(this.options.rows, Math.max(0, status.completedRecords ?? 0));
    if (status.state === 'FAILED') {
      return {
        kind: 'failed',
        reason: status.failureReason ?? 'Genesys reported the import as FAILED without a reason',
        ...(status.failureReason !== undefined ? { failureReason: status.failureReason } : {}),
        completedRecords: completed,
      };
    }
    if (importFinished(status)) return { kind: 'completed', via: 'status' };
    return { kind: 'importing', completedRecords: completed, via: 'status' };
  }

  /** Reads the list size at `nowMs` (used while no fresh status is there). */
  observeSize(size: number | undefined, nowMs: number): ImportVerdict {
    const { rows, sizeBefore, settleMs } = this.options;
    if (size !== undefined && size !== this.lastSize) {
      this.lastSize = size;
      this.lastChangeMs = nowMs;
    }
    if (size === undefined || sizeBefore === undefined) {
      if (nowMs - this.lastChangeMs < settleMs) return { kind: 'waiting' };
      return {
        kind: 'completed',
        via: 'size',
        note: `Genesys reported no import status and no list size for ${Math.round(settleMs / 1000)} s after the upload; the ${countOf(rows, 'row')} ${rows === 1 ? 'is' : 'are'} counted as uploaded without confirmation.`,
      };
    }
    const grown = Math.max(0, size - sizeBefore);
    if (grown >= rows) {
      return {
        kind: 'completed',
        via: 'size',
        note: `Genesys reported no import status (small imports never do); the list grew by ${countOf(grown, 'contact')} for ${countOf(rows, 'row')} sent, so the import is complete.`,
      };
    }
    if (nowMs - this.lastChangeMs < settleMs) {
      return grown > 0
        ? { kind: 'importing', completedRecords: grown, via: 'size' }
        : { kind: 'waiting' };
    }
    return {
      kind: 'completed',
      via: 'size',
      note: `Genesys reported no import status (small imports never do); the list grew by ${countOf(grown, 'contact')} for ${countOf(rows, 'row')} sent and then stayed unchanged for ${Math.round(settleMs / 1000)} s. The other ${rows - grown} rows' ids were probably already in the list (updated in place); they are counted as uploaded without confirmation.`,
    };
  }
}
