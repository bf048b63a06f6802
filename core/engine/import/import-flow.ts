import type { Clock } from '../throttle/clock';
import { fetchContactList } from '../../genesys/contact-list-reader';
import { GenesysCallError, type GenesysHttp } from '../../genesys/http/genesys-http';
import type { ImportOutcome } from './import-settle';
import { ImportWatch, parseImportStatus, type ImportStatusView } from './import-status';

const LISTS = '/api/v2/outbound/contactlists';

/**
 * The Genesys side of a bulk import (docs/GENESYS.md#bulk-import): the list's size, its
 * `importstatus`, the upload URL and the file PUT. Every call goes through `GenesysHttp` (the
 * one response policy, retries, advice, the org's limiter).
 */
export class ImportFlow {
  private readonly listPath: string;

  constructor(
    private readonly http: GenesysHttp,
    private readonly contactListId: string,
  ) {
    this.listPath = `${LISTS}/${encodeURIComponent(contactListId)}`;
  }

  /** The list's contact count (`includeSize`), the baseline an import without status is judged by. */
  async readSize(): Promise<number | undefined> {
    const list = await fetchContactList(this.http, this.contactListId, true);
    return typeof list.size === 'number' ? list.size : undefined;
  }

  /** `GET .../importstatus`; undefined when the list has none (404) or it is unreadable. */
  async readStatus(): Promise<ImportStatusView | undefined> {
    const body = await this.http.json(
      'status',
      'GET',
      `${this.listPath}/importstatus`,
      undefined,
      true,
    );
    return parseImportStatus(body);
  }

  /**
   * `POST /contactlists/uploads` for a presigned URL, then `PUT` the file there with the headers
   * Genesys gave. A refused PUT (403: URL expired) gets one fresh URL before it counts as fatal.
   */
  async upload(filePath: string, idColumn: string, clearSystemData: boolean): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const slot = (await this.http.json('upload-url', 'POST', `${LISTS}/uploads`, {
        contentType: 'text/csv',
        id: this.contactListId,
        contactIdName: idColumn,
        ...(clearSystemData ? { clearSystemData: true } : {}),
      })) as { url?: unknown; headers?: unknown };
      if (typeof slot.url !== 'string') {
        throw new GenesysCallError('bad-answer', {
          status: 0,
          reason: 'Genesys gave no upload URL for the file',
        });
      }
      const headers =
        typeof slot.headers === 'object' && slot.headers !== null
          ? (slot.headers as Record<string, string>)
          : { 'Content-Type': 'text/csv' };
      try {
        await this.http.putFile(slot.url, headers, filePath);
        return;
      } catch (error) {
        const expired = error instanceof GenesysCallError && error.detail.status === 403;
        if (!expired || attempt >= 2) throw error;
      }
    }
  }
}

/** How to follow an import once its file is uploaded. */
export interface FollowOptions {
  rows: number;
  baseline: ImportStatusView | undefined;
  sizeBefore: number | undefined;
  pollIntervalMs: number;
  /**
   * While no fresh status is there, the list size is read at most this often, the first time
   * this long after the upload, because the size lags behind an import
   * (docs/GENESYS.md#list-size-lag: the Terraform provider waits 5 s before each count).
   */
  sizePollIntervalMs: number;
  /** Without any status, done once the size is still this long, ms. */
  settleMs: number;
  /** Stop waiting after this long, ms. */
  giveUpAfterMs: number;
  clock: Clock;
  signal: AbortSignal;
  /** Called after every poll with the records imported so far. */
  onProgress: (completedRecords: number) => void;
  /** Words a FAILED import's `failureReason` code for the consultant. */
  describeFailure: (failureReason: string) => string;
}

/**
 * Polls until the import ends: a fresh `importstatus` decides; without one, the list size does
 * (`ImportWatch`), read every `sizePollIntervalMs`. Resolves the outcome for the file's rows, or `undefined` when `signal`
 * aborted (the caller words the cancel). Never settles rows itself.
 */
export async function followImport(
  flow: ImportFlow,
  options: FollowOptions,
): Promise<ImportOutcome | undefined> {
  const { clock, signal, rows } = options;
  const startedMs = clock.nowMs();
  const watch = new ImportWatch({ ...options, uploadedAtMs: startedMs });
  let progress = 0;
  let sizeReadMs = startedMs;
  const sizeDue = (): boolean => clock.nowMs() - sizeReadMs >= options.sizePollIntervalMs;
  for (;;) {
    await clock.sleep(options.pollIntervalMs, signal);
    if (signal.aborted) return undefined;
    let verdict = watch.observeStatus(await flow.readStatus());
    if (verdict === undefined && !watch.statusSeen && sizeDue()) {
      sizeReadMs = clock.nowMs();
      verdict = watch.observeSize(await flow.readSize(), sizeReadMs);
    }
    verdict ??= { kind: 'waiting' };
    if (verdict.kind === 'completed') {
      return { kind: 'completed', ...(verdict.note ? { note: verdict.note } : {}) };
    }
    if (verdict.kind === 'failed') {
      const why =
        verdict.failureReason === undefined
          ? verdict.reason
          : options.describeFailure(verdict.failureReason);
      const reason = `Genesys failed the import: ${why} (${verdict.completedRecords} of ${rows} rows were in before it failed; all ${rows} count as failed because the import does not say which, and a retry updates those in place)`;
      return { kind: 'failed', detail: { status: 0, reason } };
    }
    if (verdict.kind === 'importing') progress = verdict.completedRecords;
    options.onProgress(progress);
    if (clock.nowMs() - startedMs > options.giveUpAfterMs) {
      const reason = `The import did not finish within ${Math.round(options.giveUpAfterMs / 60_000)} min (${progress} of ${rows} rows reported); check the list in Genesys, then retry (nothing duplicates).`;
      return { kind: 'stopped', detail: { status: 0, reason } };
    }
  }
}
