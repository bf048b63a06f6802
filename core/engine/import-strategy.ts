import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../contract/runs';
import type { TokenSource } from '../genesys/token-source';
import { fullJitterDelayMs } from './backoff';
import { systemClock, type Clock } from './clock';
import { parseErrorBody } from './error-policy';
import { parseRetryAfterMs } from './retry-after';
import { csvCell, writeRowReports, writeSummary } from './run-files';
import { openJournalSink, RunLedger } from './run-ledger';
import type { SourceRow } from './types';

/** Options of a bulk-import run (DESIGN §2: upload URL flow + importstatus). */
export interface ImportRunOptions {
  runId: string;
  runDir: string;
  orgName: string;
  apiUrl: string;
  contactListId: string;
  tokenSource: TokenSource;
  source: () => AsyncIterable<SourceRow>;
  /** Column of the uploaded file that carries the contact id (`contactIdName`). */
  contactIdColumn?: string;
  pollIntervalMs?: number;
  /** Give up waiting for the import after this long (default 2 h). */
  timeoutMs?: number;
  /** Polls without any sign of progress (no importstatus, list size unchanged) before finishing. */
  idlePollsBeforeDone?: number;
  onProgress?: (progress: ImportProgress) => void;
  clock?: Clock;
}

/** Import progress, reported like a run's metrics. */
export interface ImportProgress {
  phase: 'preparing' | 'uploading' | 'importing' | 'done';
  rows: number;
  completedRecords?: number;
  percentComplete?: number;
}

/**
 * The second strategy: writes the mapped rows as one CSV (ids in `contactIdColumn`, so the
 * import upserts like the per-batch path), gets a presigned URL from
 * `POST /contactlists/uploads`, PUTs the file, then polls `GET .../importstatus`; when the
 * import never reports status (small imports), it falls back to watching the list size.
 * Genesys returns no per-row result: rows count as uploaded when the import completes, as
 * failed with its reason when it fails. Validation rejects are accounted as usual.
 */
export async function runImport(options: ImportRunOptions): Promise<RunSummary> {
  const clock = options.clock ?? systemClock;
  const startedAtMs = clock.nowMs();
  const startedAt = new Date().toISOString();
  mkdirSync(options.runDir, { recursive: true });
  const ledger = new RunLedger(options.runDir, openJournalSink(options.runDir));
  ledger.session(ledger.previousSessions > 0 ? 'resume' : 'start');
  const idColumn = options.contactIdColumn ?? 'SluiceContactId';
  options.onProgress?.({ phase: 'preparing', rows: 0 });

  const rows: Array<{ rowNumber: number; id: string; data: Record<string, string> }> = [];
  const columns = new Set<string>();
  for await (const row of options.source()) {
    ledger.markRead(row.rowNumber);
    if (ledger.isSettled(row.rowNumber)) continue;
    if (!row.ok) {
      const settled = { rowNumber: row.rowNumber, ...(row.data ? { data: row.data } : {}) };
      ledger.settle('rejected', 'validation', [settled], { status: 0, reason: row.reason }, false);
      continue;
    }
    for (const column of Object.keys(row.contact.data)) columns.add(column);
    rows.push({ rowNumber: row.rowNumber, id: row.contact.id, data: row.contact.data });
  }
  ledger.commit();
  const header = [...columns].filter((column) => column !== idColumn);
  const lines = [[idColumn, ...header].map(csvCell).join(',')];
  for (const row of rows)
    lines.push([row.id, ...header.map((c) => row.data[c] ?? '')].map(plainCell).join(','));
  const csvPath = join(options.runDir, 'import.csv');
  writeFileSync(csvPath, `${lines.join('\r\n')}\r\n`);

  let failure: string | undefined;
  if (rows.length > 0) {
    try {
      options.onProgress?.({ phase: 'uploading', rows: rows.length });
      const api = new ImportApi(options, clock);
      const sizeBefore = await api.listSize();
      const slot = (await api.call('POST', '/api/v2/outbound/contactlists/uploads', {
        contentType: 'text/csv',
        id: options.contactListId,
        contactIdName: idColumn,
        clearSystemData: false,
      })) as { url: string; headers?: Record<string, string> };
      const put = await fetch(slot.url, {
        method: 'PUT',
        headers: slot.headers ?? { 'Content-Type': 'text/csv' },
        body: readFileSync(csvPath),
      });
      if (!put.ok)
        throw new Error(
          `The file upload was refused (HTTP ${put.status}); request a new upload URL by running again.`,
        );
      failure = await api.waitForImport(rows.length, sizeBefore);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
  }
  const batch = 'import';
  const settled = rows.map((r) => ({ rowNumber: r.rowNumber, contactId: r.id, data: r.data }));
  if (failure === undefined) {
    for (let i = 0; i < settled.length; i += 1000)
      ledger.uploaded(
        batch,
        rows
          .slice(i, i + 1000)
          .map((r) => ({ rowNumber: r.rowNumber, contact: { id: r.id, data: r.data }, json: '' })),
      );
  } else {
    ledger.settle('failed', batch, settled, {
      status: 0,
      reason: `Bulk import failed: ${failure}`,
    });
  }
  ledger.session('end', 'completed');
  ledger.close();
  options.onProgress?.({ phase: 'done', rows: rows.length });
  writeRowReports(options.runDir, ledger.rowsWith('failed'), ledger.rowsWith('rejected'));
  const totals = ledger.totals();
  const elapsedMs = clock.nowMs() - startedAtMs;
  const summary: RunSummary = {
    runId: options.runId,
    orgName: options.orgName,
    contactListId: options.contactListId,
    strategy: 'import',
    state: 'completed',
    ...(failure ? { stateReason: `Bulk import failed: ${failure}` } : {}),
    startedAt,
    updatedAt: new Date().toISOString(),
    elapsedMs,
    rowsRead: totals.rowsRead,
    uploaded: totals.uploaded,
    rejected: totals.rejected,
    failed: totals.failed,
    skipped: totals.skipped,
    requests: 0,
    throttled: 0,
    retries: 0,
    contactsPerSecond: elapsedMs > 0 ? totals.uploaded / (elapsedMs / 1000) : 0,
    invariant: ledger.invariant(),
    runDir: options.runDir,
  };
  writeSummary(options.runDir, summary);
  return summary;
}

/** A CSV cell for the import file: quoted when needed, never altered (it is data, not a report). */
function plainCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The few API calls of the import flow, each retried on 429/5xx/network under a time budget. */
class ImportApi {
  constructor(
    private readonly options: ImportRunOptions,
    private readonly clock: Clock,
  ) {}

  async call(method: string, path: string, body?: unknown, allow404 = false): Promise<unknown> {
    const deadline = this.clock.nowMs() + 10 * 60_000;
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.options.tokenSource.getAccessToken();
      let response: Response | undefined;
      try {
        response = await fetch(`${this.options.apiUrl.replace(/\/+$/, '')}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(16_000),
        });
      } catch {
        response = undefined;
      }
      if (response?.ok) return response.json();
      if (response?.status === 404 && allow404) return undefined;
      if (response?.status === 401 && attempt === 0) {
        this.options.tokenSource.invalidate(token);
        continue;
      }
      const retryable = !response || response.status === 429 || response.status >= 500;
      const text = response ? await response.text() : '';
      if (!retryable || this.clock.nowMs() > deadline) {
        const detail =
          parseErrorBody(text).message ?? (response ? `HTTP ${response.status}` : 'no answer');
        throw new Error(`${method} ${path} failed: ${detail}`);
      }
      const retryAfterMs =
        parseRetryAfterMs(response?.headers.get('retry-after') ?? undefined) ?? 0;
      await this.clock.sleep(Math.max(retryAfterMs, fullJitterDelayMs(attempt)));
    }
  }

  async listSize(): Promise<number | undefined> {
    const list = (await this.call(
      'GET',
      `/api/v2/outbound/contactlists/${encodeURIComponent(this.options.contactListId)}?includeSize=true`,
    )) as { size?: number };
    return typeof list.size === 'number' ? list.size : undefined;
  }

  /** Polls importstatus (or the list size) until the import ends; returns a failure reason or undefined. */
  async waitForImport(rows: number, sizeBefore: number | undefined): Promise<string | undefined> {
    const pollMs = this.options.pollIntervalMs ?? 1000;
    const deadline = this.clock.nowMs() + (this.options.timeoutMs ?? 2 * 3600_000);
    const idleLimit = this.options.idlePollsBeforeDone ?? 5;
    let lastSize = sizeBefore;
    let idle = 0;
    while (this.clock.nowMs() < deadline) {
      await this.clock.sleep(pollMs);
      const status = (await this.call(
        'GET',
        `/api/v2/outbound/contactlists/${encodeURIComponent(this.options.contactListId)}/importstatus`,
        undefined,
        true,
      )) as
        | {
            state?: string;
            completedRecords?: number;
            percentComplete?: number;
            failureReason?: string;
          }
        | undefined;
      if (status?.state === 'FAILED')
        return status.failureReason ?? 'the import failed without a reason';
      if (status?.state === 'COMPLETED') return undefined;
      if (status?.state === 'IN_PROGRESS') {
        this.options.onProgress?.({
          phase: 'importing',
          rows,
          ...(status.completedRecords !== undefined
            ? { completedRecords: status.completedRecords }
            : {}),
          ...(status.percentComplete !== undefined
            ? { percentComplete: status.percentComplete }
            : {}),
        });
        idle = 0;
        continue;
      }
      // no status (small imports never report one): fall back to the list size
      const size = await this.listSize();
      if (size !== undefined && sizeBefore !== undefined && size >= sizeBefore + rows)
        return undefined;
      idle = size === lastSize ? idle + 1 : 0;
      lastSize = size;
      if (idle >= idleLimit) return undefined;
    }
    return `no end of import after ${Math.round((this.options.timeoutMs ?? 2 * 3600_000) / 60_000)} min`;
  }
}
