import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CANCELLED_NOT_SENT_CODE, type RunSummary } from '../../contract/runs';
import { systemClock, type Clock } from '../throttle/clock';
import { DEFAULT_IMPORT_ID_COLUMN, importColumns } from './import-file';
import { writeImportFile } from './import-intake';
import { failedRowsSource } from '../run/row-intake';
import { GenesysCallError, GenesysHttp } from '../../genesys/http/genesys-http';
import { LatencyWindow } from '../throttle/latency-window';
import { settleFileRows, type ImportOutcome } from './import-settle';
import { ImportFlow, followImport } from './import-flow';
import { addedColumns, importFailureSentence } from './import-failure';
import type { ImportPhase, ImportRunOptions } from './import-options';
import { RunReporter } from '../run/run-reporter';
import { ReportingRun } from '../run/reporting-run';
import type { RowTotals } from '../run/metrics-recorder';
import type { OrgLimiterSnapshot } from '../throttle/org-limiter';
import { openJournalSink, RunLedger } from '../journal/run-ledger';

export type { ImportPhase, ImportRunOptions } from './import-options';

/** File name of the temporary import file inside the run folder (removed when the run ends). */
export const IMPORT_FILE = 'import-upload.csv';

const WHILE_IMPORTING =
  'while Genesys was importing the file: the import may still finish on its side';

/**
 * The second upload strategy (docs/ARCHITECTURE.md, The two strategies; docs/GENESYS.md#bulk-import): writes the mapped rows as one CSV,
 * uploads it through the contact-list upload URL flow and follows `importstatus` (or, when an
 * import never reports one, the list size). Same outward shape as `UploadRun`: events, `start`,
 * `cancel`, `state`, `summary`. Genesys returns no per-row result, so rows settle together:
 * uploaded when the import completes, failed with the reason when it fails, is cancelled or
 * cannot be sent. Rows refused before the upload (validation, columns the list lacks, values
 * over 512 characters, repeated ids) are rejected or skipped one by one. There is no pause; a
 * killed run restarted on the same folder imports the unsettled rows again, which is safe
 * because every row carries its deterministic contact id.
 */
export class ImportRun extends ReportingRun {
  private readonly clock: Clock;
  private readonly ledger: RunLedger;
  private readonly http: GenesysHttp;
  private readonly latency = new LatencyWindow();
  protected readonly reporter: RunReporter;
  private readonly control = new AbortController();
  private readonly filePath: string;
  private currentPhase: ImportPhase = 'writing';
  private cancelReason: string | undefined;
  /** The file's upload has begun: from here a cancel cannot say Genesys has none of its rows. */
  private fileSent = false;
  /** Row numbers in the import file, in file order. */
  private fileRows: number[] = [];
  private readerDone = false;
  /** Records Genesys reports as imported so far (progress only; rows settle at the end). */
  private progress = 0;
  private listColumns = new Set<string>();
  private readonly idColumn: string;

  constructor(private readonly options: ImportRunOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    mkdirSync(options.runDir, { recursive: true });
    this.ledger = new RunLedger(
      options.runDir,
      (options.openJournal ?? openJournalSink)(options.runDir),
    );
    this.filePath = join(options.runDir, IMPORT_FILE);
    this.idColumn = options.contactIdColumn ?? DEFAULT_IMPORT_ID_COLUMN;
    this.http = new GenesysHttp({
      apiUrl: options.apiUrl,
      contactListId: options.contactListId,
      tokenSource: options.tokenSource,
      clock: this.clock,
      giveUpAfterMs: options.giveUpAfterMs ?? 2 * 3600_000,
      signal: this.control.signal,
      onLatency: (latencyMs) => this.latency.add(latencyMs),
      ...(options.gate ? { gate: options.gate } : {}),
      ...(options.retryBackoff ? { backoff: options.retryBackoff } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
    this.reporter = new RunReporter({
      runId: options.runId,
      runDir: options.runDir,
      orgName: options.orgName,
      contactListId: options.contactListId,
      strategy: 'import',
      clock: this.clock,
      ledger: this.ledger,
      ...(options.metricsIntervalMs !== undefined
        ? { metricsIntervalMs: options.metricsIntervalMs }
        : {}),
      counters: () => this.http.counters,
      limiter: () => this.limiterView(),
      rows: () => this.rowsWithProgress(),
      totalRows: () => (this.readerDone ? this.ledger.totals().rowsRead : options.totalRows),
    });
  }

  /** Runs the import to its end (completed, cancelled or stopped) and returns the summary. */
  async start(): Promise<RunSummary> {
    this.reporter.claimStart();
    this.ledger.beginSession(this.options.mode);
    this.reporter.setState('running');
    const stopTicking = this.reporter.tickWhileRunning();
    let outcome: ImportOutcome;
    try {
      outcome = await this.execute();
    } catch (error) {
      outcome = this.outcomeOf(error);
    } finally {
      stopTicking();
    }
    return this.finish(outcome);
  }

  /**
   * Ends the run. Before the upload nothing reached Genesys; after it, Genesys may still finish
   * the import on its side: either way the rows are recorded as failed with that explanation.
   */
  cancel(reason?: string): void {
    if (this.reporter.state !== 'running' || this.cancelReason !== undefined) return;
    this.cancelReason = reason ?? 'The run was cancelled';
    this.control.abort();
  }

  private async execute(): Promise<ImportOutcome> {
    const flow = new ImportFlow(this.http, this.options.contactListId);
    this.listColumns = new Set(this.options.listColumns);
    try {
      await writeImportFile({
        source:
          this.options.mode === 'retry-failed'
            ? () => failedRowsSource(this.ledger, this.options.retryRows)
            : this.options.source,
        retrying: this.options.mode === 'retry-failed',
        ledger: this.ledger,
        filePath: this.filePath,
        columns: importColumns([...this.options.listColumns], this.idColumn),
        listColumns: this.listColumns,
        idColumn: this.idColumn,
        maxValueLength: this.options.maxValueLength ?? 512,
        stopped: () => this.cancelReason !== undefined,
        fileRows: this.fileRows,
      });
    } finally {
      this.readerDone = true;
    }
    if (this.cancelReason !== undefined) return this.cancelled('before the file was sent');
    if (this.fileRows.length === 0) return { kind: 'completed' };
    const fileColumns = importColumns([...this.options.listColumns], this.idColumn);

    this.currentPhase = 'uploading';
    const baseline = await flow.readStatus();
    const sizeBefore = await flow.readSize();
    this.ledger.dispatched('import', this.fileRows, 1, true);
    this.fileSent = true;
    await flow.upload(this.filePath, this.idColumn, this.options.clearSystemData === true);

    this.currentPhase = 'importing';
    const outcome = await followImport(flow, {
      rows: this.fileRows.length,
      baseline,
      sizeBefore,
      pollIntervalMs: this.options.pollIntervalMs ?? 2000,
      sizePollIntervalMs: this.options.sizePollIntervalMs ?? 5000,
      settleMs: this.options.noStatusSettleMs ?? 60_000,
      giveUpAfterMs: this.options.giveUpAfterMs ?? 2 * 3600_000,
      clock: this.clock,
      signal: this.control.signal,
      onProgress: (completed) => {
        this.progress = completed;
        this.reporter.emitMetrics();
      },
      describeFailure: (code) =>
        importFailureSentence(code, {
          listColumns: this.options.listColumns,
          fileColumns,
          idColumn: this.idColumn,
          rows: this.fileRows.length,
          sizeBefore,
        }),
    });
    return outcome ?? this.cancelled(WHILE_IMPORTING);
  }

  /**
   * The outcome of a cancel. Before the file's upload began nothing of this session reached
   * Genesys: its rows are failed as never sent (`CANCELLED_NOT_SENT_CODE`), and resuming the run
   * imports them with the rows never read, once. After, Genesys may import them anyway: they
   * wait for a retry.
   */
  private cancelled(when: string): ImportOutcome {
    const cancelled = this.cancelReason ?? 'The run was cancelled';
    if (!this.fileSent) {
      const reason = `${cancelled} before the file was sent: Genesys has none of its rows. Resuming the run imports them with the rows never read.`;
      return { kind: 'cancelled', detail: { status: 0, reason, code: CANCELLED_NOT_SENT_CODE } };
    }
    const reason = `${cancelled} ${when}. Rows in the file count as failed; a retry is safe (ids are deterministic, nothing duplicates).`;
    return { kind: 'cancelled', detail: { status: 0, reason } };
  }

  private outcomeOf(error: unknown): ImportOutcome {
    if (error instanceof GenesysCallError) {
      if (error.cancelled)
        return this.cancelled(
          this.currentPhase === 'importing' ? WHILE_IMPORTING : 'before the import finished',
        );
      return { kind: 'stopped', detail: error.detail };
    }
    const reason = `The import stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: 'stopped', detail: { status: 0, reason } };
  }

  private async finish(outcome: ImportOutcome): Promise<RunSummary> {
    await settleFileRows(this.ledger, outcome, this.fileRows, {
      path: this.filePath,
      idColumn: this.idColumn,
      listColumns: this.listColumns,
    });
    this.currentPhase = 'done';
    const reason = outcome.kind === 'completed' ? outcome.note : outcome.detail.reason;
    const added = this.fileRows.length > 0 ? this.addedIdColumnNote() : undefined;
    this.reporter.stateReason =
      added === undefined ? reason : reason === undefined ? added : `${reason} ${added}`;
    this.reporter.setState(
      outcome.kind === 'completed' || outcome.kind === 'failed' ? 'completed' : outcome.kind,
    );
    this.ledger.session('end', this.reporter.state);
    this.ledger.close();
    rmSync(this.filePath, { force: true });
    return this.reporter.end(() => {
      if (this.fileRows.length === 0) return;
      const failed = outcome.kind !== 'completed';
      this.reporter.emit({
        type: 'batch',
        batch: {
          runId: this.options.runId,
          batchId: 'import',
          outcome: failed ? 'failed' : 'uploaded',
          rows: this.fileRows.length,
          attempt: 1,
          ...(failed ? { detail: outcome.detail } : {}),
        },
      });
    });
  }

  /**
   * Says plainly when the file carried an id column the list did not have: Genesys adds it to
   * the list (docs/GENESYS.md#import-extra-columns), and the consultant did not ask for it.
   */
  private addedIdColumnNote(): string | undefined {
    const added = addedColumns(this.options.listColumns, [this.idColumn]);
    if (added.length === 0) return undefined;
    return `The file carried the contact ids in an extra column "${this.idColumn}" because the mapping's ids are a hash of list columns, not a list column of their own; Genesys adds that column to the list (it counts toward the list's 50 columns). To avoid it, map a unique list column (e.g. a CRM id) as the contact id.`;
  }

  /** Row totals for a tick: while Genesys imports, its completed records show as uploaded. */
  private rowsWithProgress(): RowTotals {
    const totals = this.ledger.totals();
    const provisional =
      this.currentPhase === 'importing' ? Math.min(this.progress, totals.pending) : 0;
    return {
      ...totals,
      uploaded: totals.uploaded + provisional,
      pending: totals.pending - provisional,
    };
  }

  /** An import has no pacing of its own: this run's own request numbers stand in. */
  private limiterView(): OrgLimiterSnapshot {
    const nowMs = this.clock.nowMs();
    return {
      pacingRatePerSecond: 0,
      concurrency: 1,
      inFlight: this.http.inFlight,
      backoffRemainingMs: Math.max(0, this.http.backoffUntilMs - nowMs),
      retryAfterTrusted: true,
      hiddenLimitLearned: false,
      latencyP50Ms: this.latency.percentile(50),
      latencyP95Ms: this.latency.percentile(95),
    };
  }
}
