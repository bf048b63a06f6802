import type { BatchEvent, RunMetrics, RunState, RunSummary } from '../../contract/runs';
import type { TokenSource } from '../../genesys/token-source';
import type { BackoffOptions, RandomSource } from '../throttle/backoff';
import type { BatchLimits } from '../contacts/batcher';
import type { Clock } from '../throttle/clock';
import type { OrgLimiter } from '../throttle/org-limiter';
import type { JournalSink } from '../journal/run-ledger';
import type { ContactsTransport } from '../contacts/transport';
import type { SourceRow } from '../types';

/** Everything a run needs. The source is a factory so a resume can read it again from the top. */
export interface UploadRunOptions {
  runId: string;
  /** The run's own folder (journal, summary, row reports); created if missing. */
  runDir: string;
  orgName: string;
  contactListId: string;
  source: () => AsyncIterable<SourceRow>;
  /** The org's limiter, shared by every run on that org. */
  limiter: OrgLimiter;
  /**
   * Batches in flight at most: the limiter's `maxConcurrency` (pass it when the limiter was
   * built with another; default the limiter's default).
   */
  workers?: number;
  tokenSource: TokenSource;
  transport: ContactsTransport;
  batchLimits?: Partial<BatchLimits>;
  /** A retryable batch is parked as failed only after retrying this long (default 30 min). */
  giveUpAfterMs?: number;
  /**
   * A 429 whose wait (Retry-After, else the message) is longer than this pauses the run with
   * the reason instead of holding it, ms (default 120 s; docs/GENESYS.md#retry-after-long).
   */
  maxRetryAfterMs?: number;
  /** Backoff for 5xx and network errors (429 waits are the limiter's). */
  retryBackoff?: BackoffOptions;
  /**
   * The file's rows, when counted before the run (the whole-file check, for the file as it is
   * now): the run's total and ETA from its first tick, and the work left it tells the org's
   * limiter. Once every row is read, the rows read are the total. Ignored by a retry of failed
   * rows, which reads them from the journal.
   */
  totalRows?: number;
  /**
   * Of `totalRows`, the rows the same count refused (the check's rejects): read and rejected,
   * never sent, so not work left, nor time left.
   */
  expectedRejects?: number;
  /**
   * The file's rows, roughly (`CsvSource.estimatedRows`, from the first 64 KB's line length),
   * once a pass opened it: only what the org's limiter is told of the work left before every
   * row is read when `totalRows` is not given (docs/ARCHITECTURE.md, "Probes priced by the work
   * left"), never the ETA, which waits for a real count.
   */
  estimatedRows?: () => number | undefined;
  /** Interval of metrics ticks, at least 100 ms (≤ 10 per second). Default 250 ms. */
  metricsIntervalMs?: number;
  /** `retry-failed` resends only the rows the journal holds as failed. */
  mode?: 'upload' | 'retry-failed';
  /** In `retry-failed`, only these of the failed rows (by row number); default every one. */
  retryRows?: readonly number[];
  clock?: Clock;
  random?: RandomSource;
  /** Test seam: where journal records go (default: `journal.ndjson` in `runDir`). */
  openJournal?: (runDir: string) => JournalSink;
}

/** What a run emits: metrics ticks (≤ 10/s), batch outcomes, state changes, the final summary. */
export type RunEvent =
  | { type: 'metrics'; metrics: RunMetrics }
  | { type: 'batch'; batch: BatchEvent }
  | { type: 'state'; state: RunState; reason?: string }
  | { type: 'finished'; summary: RunSummary };
