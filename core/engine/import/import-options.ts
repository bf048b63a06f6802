import type { RequestGate } from '../../genesys/http/request-gate';
import type { TokenSource } from '../../genesys/token-source';
import type { BackoffOptions, RandomSource } from '../throttle/backoff';
import type { Clock } from '../throttle/clock';
import type { JournalSink } from '../journal/run-ledger';
import type { SourceRow } from '../types';

/** Everything a bulk-import run needs (the same shape as `UploadRunOptions` where they overlap). */
export interface ImportRunOptions {
  runId: string;
  /** The run's own folder (journal, summary, row reports, the temporary import file). */
  runDir: string;
  orgName: string;
  contactListId: string;
  /** The mapped rows; a factory so a resume can read them again from the top. */
  source: () => AsyncIterable<SourceRow>;
  tokenSource: TokenSource;
  /** API base, e.g. `https://api.mypurecloud.ie` or the sandbox's URL. */
  apiUrl: string;
  /** The list's column names, read once when the run's session opened. */
  listColumns: readonly string[];
  /** The org's limiter: import calls share the org's pace, and a 429 here slows its other traffic. */
  gate?: RequestGate;
  /**
   * The column that carries the contact id (`contactIdName`, docs/GENESYS.md#contact-id-name).
   * Pass the mapping's id column when the ids are a list column's values, so the import adds no
   * column. Otherwise (hash ids) an extra `SluiceContactId` column carries them, so an import
   * upserts exactly the contacts the contacts strategy would; Genesys adds that column to the
   * list (docs/GENESYS.md#import-extra-columns) and the run says so in its summary.
   */
  contactIdColumn?: string;
  /** Send `clearSystemData: true` (resets call records of updated contacts). Default false. */
  clearSystemData?: boolean;
  /** Time between two `importstatus` polls, ms (default 2000). */
  pollIntervalMs?: number;
  /** While importstatus is stale, the list size is read this often, ms (default 5000: docs/GENESYS.md#list-size-lag). */
  sizePollIntervalMs?: number;
  /** How long each call retries 429/5xx/network errors, and how long to wait for the import to end, ms (default 2 h). */
  giveUpAfterMs?: number;
  /** Without any import status, the import counts as done once the list size is still this long, ms (default 60 s). */
  noStatusSettleMs?: number;
  /** Longest value Genesys accepts (docs/GENESYS.md#list-value-limits: 512); longer rows are rejected before the upload. */
  maxValueLength?: number;
  /**
   * The file's rows when counted before the run (the whole-file check), for the progress bar's
   * total before every row is read; once they are, the rows read are the total.
   */
  totalRows?: number;
  /** Interval of metrics ticks, at least 100 ms (≤ 10 per second). Default 250 ms. */
  metricsIntervalMs?: number;
  retryBackoff?: BackoffOptions;
  clock?: Clock;
  random?: RandomSource;
  /**
   * `retry-failed` imports again only the rows the journal holds as failed, with the id and data
   * recorded for them (e.g. after a FAILED or cancelled import). Default `upload`.
   */
  mode?: 'upload' | 'retry-failed';
  /** In `retry-failed`, only these of the failed rows (by row number); default every one. */
  retryRows?: readonly number[];
  /** Test seam: where journal records go (default: `journal.ndjson` in `runDir`). */
  openJournal?: (runDir: string) => JournalSink;
}

/** Where an import run is: writing the file, uploading it, Genesys importing, finished. */
export type ImportPhase = 'writing' | 'uploading' | 'importing' | 'done';
