import { randomBytes } from 'node:crypto';
import Papa from 'papaparse';
import type { ApiRouter } from './api-context';
import type { ValidContact } from './contact-validation';
import { SandboxHttpError, notFound, readJson } from './http-kit';
import type { ListState, OrgStore } from './org-store';
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
  rows: ValidContact[];
  applied: number;
  startedAtMs: number;
  /** False for imports under `importStatusMinRows`: they never touch importstatus. */
  reportStatus: boolean;
}

/**
 * The bulk file import flow (DESIGN.md §2): `POST /api/v2/outbound/contactlists/uploads` returns
 * a presigned URL on this same server; `PUT` the CSV there; `GET .../importstatus` reports
 * `{state, totalRecords, completedRecords, percentComplete}` progressing at the configured rows
 * per second. Like the real import, it returns no per-row ids or errors: rows with values over
 * the length cap are skipped, an unknown column fails the whole import with a reason.
 */
export class ImportService {
  private readonly slots = new Map<string, UploadSlot>();
  private readonly running: RunningImport[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: () => Pick<
      SandboxConfig,
      'importRowsPerSecond' | 'importStatusMinRows' | 'rules'
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
        return { status: 200, body: state.importStatus };
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
    const columns = new Set(state.list.columnNames);
    const unknown = headers.filter(
      (header) => !columns.has(header) && header !== slot.contactIdName,
    );
    const failure =
      unknown.length > 0
        ? `Columns not in the contact list: ${unknown.join(', ')}.`
        : slot.contactIdName !== undefined && !headers.includes(slot.contactIdName)
          ? `The file has no column '${slot.contactIdName}' (contactIdName).`
          : undefined;
    if (failure !== undefined) {
      state.importStatus = {
        state: 'FAILED',
        totalRecords: parsed.data.length,
        completedRecords: 0,
        percentComplete: 0,
        failureReason: failure,
      };
      return { status: 200 };
    }
    if (slot.clearSystemData) slot.store.clearList(state);
    const limit = this.settings().rules.maxValueLength;
    const rows = parsed.data
      .filter((row) => Object.values(row).every((value) => (value ?? '').length <= limit))
      .map((row) => {
        const data: Record<string, string> = {};
        for (const column of state.list.columnNames)
          if (row[column] !== undefined) data[column] = row[column];
        const id =
          slot.contactIdName === undefined ? undefined : row[slot.contactIdName] || undefined;
        return { id, data, callable: undefined, phoneNumberStatus: undefined };
      });
    const reportStatus = parsed.data.length >= this.settings().importStatusMinRows;
    if (reportStatus) {
      state.importStatus = {
        state: 'IN_PROGRESS',
        totalRecords: parsed.data.length,
        completedRecords: 0,
        percentComplete: 0,
      };
    }
    this.running.push({
      store: slot.store,
      state,
      rows,
      applied: 0,
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
      if (due > job.applied) {
        try {
          job.store.upsert(job.state, job.rows.slice(job.applied, due), false);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          job.state.importStatus = {
            ...(job.state.importStatus ?? { totalRecords: job.rows.length, percentComplete: 0 }),
            state: 'FAILED',
            completedRecords: job.applied,
            failureReason: reason,
          };
          this.running.splice(index, 1);
          continue;
        }
        job.applied = due;
      }
      const status = job.reportStatus ? job.state.importStatus : undefined;
      if (status !== undefined) {
        status.completedRecords = job.applied;
        status.percentComplete =
          job.rows.length === 0 ? 100 : Math.floor((job.applied * 100) / job.rows.length);
        if (job.applied >= job.rows.length) status.state = 'COMPLETED';
      }
      if (job.applied >= job.rows.length) this.running.splice(index, 1);
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
    this.running.length = 0;
    this.stop();
  }

  private ensureTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.advance(), 50);
    this.timer.unref();
  }
}
