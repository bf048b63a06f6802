import { randomBytes } from 'node:crypto';
import Papa from 'papaparse';
import type { ApiRouter } from './api-context';
import { columnLookup, type ValidContact } from './contact-validation';
import { SandboxHttpError, notFound, readJson } from './http-kit';
import type { ImportStatusView, ListState, OrgStore } from './org-store';
import type { RouteContext, RouteResult } from './http-kit';
import type { SandboxConfig } from './types';

interface UploadSlot {
  store: OrgStore;
  listId: string;
  contactIdName: string | undefined;
  clearSystemData: boolean;
  expiresAtMs: number;
}

interface RunningImport {
  store: OrgStore;
  state: ListState;
  /** Every data row of the file, in order; `undefined` for a row the import skips (a value over the cap). */
  rows: (ValidContact | undefined)[];
  /** Rows processed so far (stored or skipped). */
  processed: number;
  startedAtMs: number;
  /** False for imports under `importStatusMinRows`: they never touch importstatus. */
  reportStatus: boolean;
}

/** `failureReason` codes of a failed import (docs/GENESYS.md#import-failure-reasons). */
export const IMPORT_FAILURE_REASONS = {
  columnsLimit: 'CONTACT_COLUMNS_LIMIT_EXCEEDED',
  duplicateColumns: 'DUPLICATE_COLUMN_NAMES',
  idColumnMissing: 'CONTACT_ID_COLUMN_NOT_FOUND',
  listFull: 'CONTACT_LIST_SIZE_LIMIT_EXCEEDED',
  orgFull: 'ORG_CONTACT_LIMIT_EXCEEDED',
} as const;

/**
 * The bulk file import flow (docs/GENESYS.md#bulk-import): `POST
 * /api/v2/outbound/contactlists/uploads` returns a presigned URL on this same server; `PUT` the
 * CSV there; `GET .../importstatus` reports `{state, totalRecords, completedRecords,
 * percentComplete, failureReason?}` progressing at the configured rows per second. `state` is
 * only `IN_PROGRESS` or `FAILED`; a finished import reads 100 percent with completedRecords =
 * totalRecords and no state (or `IN_PROGRESS`, per `importFinishedState`). Imports under
 * `importStatusMinRows` leave the status as it was (stale). File columns match the list's
 * case-insensitively; extra file columns are added to the list and count toward its column cap
 * (CONTACT_COLUMNS_LIMIT_EXCEEDED). Like the real import it returns no per-row ids or errors:
 * rows with a value over the length cap are skipped.
 */
export class ImportService {
  private readonly slots = new Map<string, UploadSlot>();
  private readonly running: RunningImport[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: () => Pick<
      SandboxConfig,
      'importRowsPerSecond' | 'importStatusMinRows' | 'importFinishedState' | 'rules'
    >,
    private readonly now: () => number,
  ) {}

  /** Registers the API side of the flow. */
  register(router: ApiRouter): void {
    router
      .add('POST', '/api/v2/outbound/contactlists/uploads', (context) => {
        const body = readJson(context) as Record<string, unknown> | null;
        if (typeof body !== 'object' || body === null || typeof body.id !== 'string') {
          throw new SandboxHttpError(
            400,
            'bad.request',
            'The body needs the contact list id (`id`) and contentType.',
          );
        }
        if (body.contentType !== 'text/csv') {
          throw new SandboxHttpError(
            400,
            'bad.request',
            `contentType must be 'text/csv' (got '${String(body.contentType)}').`,
          );
        }
        context.store.getList(body.id);
        const uploadKey = randomBytes(16).toString('hex');
        const timeoutSeconds =
          typeof body.signedUrlTimeoutSeconds === 'number' ? body.signedUrlTimeoutSeconds : 600;
        this.slots.set(uploadKey, {
          store: context.store,
          listId: body.id,
          contactIdName: typeof body.contactIdName === 'string' ? body.contactIdName : undefined,
          clearSystemData: body.clearSystemData === true,
          expiresAtMs: context.nowMs + timeoutSeconds * 1000,
        });
        return {
          status: 200,
          body: {
            url: `${context.baseUrl}/uploads/${uploadKey}`,
            uploadKey,
            headers: { 'Content-Type': 'text/csv' },
          },
        };
      })
      .add('GET', '/api/v2/outbound/contactlists/{id}/importstatus', (context) => {
        this.advance();
        const state = context.store.getList(context.params.id ?? '');
        if (state.importStatus === undefined)
          throw notFound('import status for contact list', state.list.id);
        return { status: 200, body: { ...state.importStatus } };
      });
  }

  /** `PUT /uploads/{uploadKey}`: the presigned upload (no bearer token, like a signed URL). */
  upload(context: RouteContext): RouteResult {
    const key = context.params.uploadKey ?? '';
    const slot = this.slots.get(key);
    this.slots.delete(key);
    if (slot === undefined || slot.expiresAtMs <= this.now()) {
      throw new SandboxHttpError(
        403,
        'forbidden',
        'The upload URL is unknown, used or expired: request a new one.',
      );
    }
    const state = slot.store.lists.get(slot.listId);
    if (state === undefined) throw notFound('contact list', slot.listId);
    const parsed = Papa.parse<Record<string, string>>(context.rawBody.toString('utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    const headers = parsed.meta.fields ?? [];
    const plan = planColumns(headers, state.list.columnNames, slot.contactIdName, this.settings());
    if ('failureReason' in plan) {
      state.importStatus = {
        state: 'FAILED',
        totalRecords: parsed.data.length,
        completedRecords: 0,
        percentComplete: 0,
        failureReason: plan.failureReason,
      };
      return { status: 200 };
    }
    slot.store.appendColumns(state, plan.added);
    if (slot.clearSystemData) slot.store.clearList(state);
    const limit = this.settings().rules.maxValueLength;
    const rows = parsed.data.map((row) => {
      if (!Object.values(row).every((value) => (value ?? '').length <= limit)) return undefined;
      const data: Record<string, string> = {};
      for (const [header, column] of plan.columnOf)
        if (row[header] !== undefined) data[column] = row[header];
      const id = plan.idHeader === undefined ? undefined : row[plan.idHeader] || undefined;
      return { id, data, callable: undefined, phoneNumberStatus: undefined };
    });
    const reportStatus = rows.length >= this.settings().importStatusMinRows;
    if (reportStatus) {
      state.importStatus = {
        state: 'IN_PROGRESS',
        totalRecords: rows.length,
        completedRecords: 0,
        percentComplete: 0,
      };
    }
    state.importRunning = true;
    this.running.push({
      store: slot.store,
      state,
      rows,
      processed: 0,
      startedAtMs: this.now(),
      reportStatus,
    });
    this.ensureTimer();
    return { status: 200 };
  }

  /** Applies the rows due by now to their lists and updates their import status. */
  advance(): void {
    const nowMs = this.now();
    for (let index = this.running.length - 1; index >= 0; index -= 1) {
      const job = this.running[index] as RunningImport;
      const due = Math.min(
        job.rows.length,
        Math.floor(((nowMs - job.startedAtMs) * this.settings().importRowsPerSecond) / 1000),
      );
      if (due > job.processed) {
        const batch = job.rows.slice(job.processed, due).filter((row) => row !== undefined);
        try {
          job.store.upsert(job.state, batch, { source: 'import', nowMs });
        } catch (error) {
          this.fail(job, error);
          this.running.splice(index, 1);
          continue;
        }
        job.processed = due;
      }
      const done = job.processed >= job.rows.length;
      if (job.reportStatus) job.state.importStatus = this.progress(job, done);
      if (done) {
        job.state.importRunning = false;
        this.running.splice(index, 1);
      }
    }
    if (this.running.length === 0) this.stop();
  }

  /** Stops the progress timer (server stop, scenario reset). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Forgets every slot and running import. */
  clear(): void {
    this.slots.clear();
    for (const job of this.running) job.state.importRunning = false;
    this.running.length = 0;
    this.stop();
  }

  private progress(job: RunningImport, done: boolean): ImportStatusView {
    const total = job.rows.length;
    const percentComplete = total === 0 ? 100 : Math.floor((job.processed * 100) / total);
    const finishedState = this.settings().importFinishedState;
    return {
      ...(done && finishedState === 'omitted' ? {} : { state: 'IN_PROGRESS' as const }),
      totalRecords: total,
      completedRecords: job.processed,
      percentComplete,
    };
  }

  private fail(job: RunningImport, error: unknown): void {
    const code = error instanceof SandboxHttpError ? error.code : '';
    job.state.importRunning = false;
    job.state.importStatus = {
      state: 'FAILED',
      totalRecords: job.rows.length,
      completedRecords: job.processed,
      percentComplete: Math.floor((job.processed * 100) / Math.max(1, job.rows.length)),
      failureReason:
        code === 'org.contact.limit.exceeded'
          ? IMPORT_FAILURE_REASONS.orgFull
          : IMPORT_FAILURE_REASONS.listFull,
    };
  }

  private ensureTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.advance(), 50);
    this.timer.unref();
  }
}

/** How a file's header maps onto a list, or why the import fails. */
type ColumnPlan =
  | {
      /** File header → list column (the list's spelling; new columns keep the file's). */
      columnOf: Map<string, string>;
      /** File columns the list lacks, appended to it. */
      added: string[];
      idHeader: string | undefined;
    }
  | { failureReason: string };

/** Matches file headers to list columns case-insensitively and checks the column cap. */
function planColumns(
  headers: string[],
  listColumns: string[],
  contactIdName: string | undefined,
  settings: Pick<SandboxConfig, 'rules'>,
): ColumnPlan {
  const lowered = headers.map((header) => header.toLowerCase());
  if (new Set(lowered).size !== headers.length)
    return { failureReason: IMPORT_FAILURE_REASONS.duplicateColumns };
  const idHeader =
    contactIdName === undefined
      ? undefined
      : headers.find((header) => header.toLowerCase() === contactIdName.toLowerCase());
  if (contactIdName !== undefined && idHeader === undefined)
    return { failureReason: IMPORT_FAILURE_REASONS.idColumnMissing };
  const lookup = columnLookup(listColumns);
  const columnOf = new Map<string, string>();
  const added: string[] = [];
  for (const header of headers) {
    const column = lookup.get(header.toLowerCase());
    if (column === undefined) added.push(header);
    columnOf.set(header, column ?? header);
  }
  if (listColumns.length + added.length > settings.rules.maxColumns)
    return { failureReason: IMPORT_FAILURE_REASONS.columnsLimit };
  return { columnOf, added, idHeader };
}
