import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { BatchEvent, FailureDetail, RunState, RunSummary } from '../../contract/runs';
import type { RandomSource } from '../throttle/backoff';
import { defaultBatchLimits } from './batcher';
import { systemClock, type Clock } from '../throttle/clock';
import { sendUntilSettled, type BatchRetryHost, type QueuedBatch } from './batch-retry';
import { defaultOrgLimiterOptions } from '../throttle/org-limiter';
import type { RunWork } from '../throttle/work-left';
import { zeroCounters, type RequestCounters } from '../run/metrics-recorder';
import { RunReporter } from '../run/run-reporter';
import { ReportingRun } from '../run/reporting-run';
import { openJournalSink, RunLedger } from '../journal/run-ledger';
import { failedRowsSource } from '../run/row-intake';
import { BatchIntake } from './batch-intake';
import {
  cancelledRunReason,
  recordCancelled,
  stoppedNotSentReason,
  stoppedRunReason,
  STOPPED_UNCONFIRMED_REASON,
  UNCONFIRMED_REASON,
} from './cancel-records';
import type { RunEvent, UploadRunOptions } from '../run/run-options';
import type { PendingRow, SourceRow } from '../types';

export type { RunEvent, UploadRunOptions } from '../run/run-options';

type StopRequest =
  { kind: 'pause'; reason?: string } | { kind: 'cancel' | 'stop'; detail: FailureDetail };

/**
 * One upload run of the contacts strategy: reads rows, batches them, and keeps a pool of
 * workers (the limiter's max concurrency) sending them, each batch through its retry state
 * machine (`batch-retry.ts`). Every row read settles as uploaded, rejected, failed or skipped
 * (docs/ARCHITECTURE.md, The accounting invariant). Pause keeps unsettled rows for `resume`;
 * cancel and configuration errors (403/404) park them as failed with the reason. A process
 * killed at any instant resumes by constructing a new run on the same folder. (A little over
 * 300 lines: the reader, the worker pool and the pause/cancel/finish rules share one queue and
 * one stop request, and read best together.)
 */
export class UploadRun extends ReportingRun {
  private readonly options: UploadRunOptions;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly ledger: RunLedger;
  private readonly intake: BatchIntake;
  protected readonly reporter: RunReporter;
  private readonly counters: RequestCounters = zeroCounters();
  private queue: QueuedBatch[] = [];
  private parked: QueuedBatch[] = [];
  private busy = 0;
  private batchCounter = 0;
  private iterator: AsyncIterator<SourceRow> | undefined;
  private readerDone = false;
  private stopRequest: StopRequest | undefined;
  private crashError: unknown;
  private readonly workers: number;
  private control: AbortController;
  private changed = signal();
  /** What the retry state machine may do to this run. */
  private readonly retryHost: BatchRetryHost;
  /** This run's requests still to send, as the org's limiter reads them (`countWork`). */
  private work: RunWork | undefined;

  constructor(options: UploadRunOptions) {
    super();
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    // A worker holds at most one request: more workers than the limiter lets fly would only wait.
    this.workers = options.workers ?? defaultOrgLimiterOptions.maxConcurrency;
    this.control = newControl(this.workers);
    mkdirSync(options.runDir, { recursive: true });
    this.ledger = new RunLedger(
      options.runDir,
      (options.openJournal ?? openJournalSink)(options.runDir),
    );
    this.intake = new BatchIntake(
      this.ledger,
      options.contactListId,
      { ...defaultBatchLimits, ...options.batchLimits },
      options.mode === 'retry-failed',
    );
    this.retryHost = {
      options,
      clock: this.clock,
      random: this.random,
      ledger: this.ledger,
      counters: this.counters,
      signal: () => this.control.signal,
      stopping: () => this.stopRequest !== undefined,
      park: (batch) => this.parked.push(batch),
      settle: (outcome, batch, detail) => this.settleBatch(outcome, batch, detail),
      stop: (detail) => this.requestStop({ kind: 'stop', detail }),
      pause: (reason) => this.pauseFor(reason),
      enqueue: (rows, front, id, possiblyStored) => this.enqueue(rows, front, id, possiblyStored),
      emitBatch: (batch, outcome, detail) => this.emitBatch(batch, outcome, detail),
    };
    this.reporter = new RunReporter({
      runId: options.runId,
      runDir: options.runDir,
      orgName: options.orgName,
      contactListId: options.contactListId,
      strategy: 'contacts',
      clock: this.clock,
      ledger: this.ledger,
      ...(options.metricsIntervalMs !== undefined
        ? { metricsIntervalMs: options.metricsIntervalMs }
        : {}),
      counters: () => this.counters,
      limiter: () => options.limiter.snapshot(),
      totalRows: () => this.fileRows(),
      rowsLeft: () => {
        const fileRows = this.fileRows();
        return fileRows === undefined ? undefined : this.rowsToSend(fileRows);
      },
    });
  }

  /** Starts (or, on a folder with a journal, resumes) the run; resolves when it completes, pauses, is cancelled or stops. */
  async start(): Promise<RunSummary> {
    this.reporter.claimStart();
    this.ledger.beginSession(this.options.mode);
    this.iterator = (
      this.options.mode === 'retry-failed'
        ? failedRowsSource(this.ledger, this.options.retryRows)
        : this.options.source()
    )[Symbol.asyncIterator]();
    return this.drive();
  }

  /** Continues a paused run in this process. */
  async resume(): Promise<RunSummary> {
    if (this.reporter.state !== 'paused')
      throw new Error(`Run ${this.options.runId} is not paused`);
    this.queue = [...this.parked, ...this.queue];
    this.parked = [];
    this.stopRequest = undefined;
    this.reporter.stateReason = undefined;
    this.control = newControl(this.workers);
    this.ledger.session('resume');
    return this.drive();
  }

  /** Stops sending new requests; requests in flight finish; unsettled rows wait for `resume`. */
  pause(): void {
    if (this.reporter.state !== 'running' || this.stopRequest) return;
    this.requestStop({ kind: 'pause' });
    this.setState('pausing');
  }

  /** Pauses on the run's own initiative (e.g. Genesys asked for a very long wait), saying why. */
  private pauseFor(reason: string): void {
    if (this.reporter.state !== 'running' || this.stopRequest) return;
    this.requestStop({ kind: 'pause', reason });
    this.setState('pausing');
  }

  /**
   * Ends the run once requests in flight are answered; rows not yet acknowledged are recorded as
   * failed: never sent (a resume sends them) or sent without a definite answer (`reason`, for a
   * retry). See `recordCancelled`.
   */
  cancel(reason = UNCONFIRMED_REASON): void {
    if (this.reporter.state === 'paused') {
      this.stopRequest = { kind: 'cancel', detail: { status: 0, reason } };
      void this.finish();
      return;
    }
    this.requestStop({ kind: 'cancel', detail: { status: 0, reason } });
  }

  private async drive(): Promise<RunSummary> {
    this.setState('running');
    this.countWork();
    const stopTicking = this.reporter.tickWhileRunning();
    try {
      const workers = Array.from({ length: this.workers }, () => this.guard(() => this.worker()));
      await Promise.all([this.guard(() => this.readLoop()), ...workers]);
    } finally {
      stopTicking();
    }
    if (this.crashError !== undefined) throw this.crashError;
    return this.finish();
  }

  /** Runs a loop; an unexpected error (e.g. the journal cannot be written) stops everything. */
  private async guard(loop: () => Promise<void>): Promise<void> {
    try {
      await loop();
    } catch (error) {
      if (this.crashError === undefined) this.crashError = error;
      this.requestStop({ kind: 'stop', detail: { status: 0, reason: String(error) } });
    }
  }

  private async readLoop(): Promise<void> {
    const iterator = this.iterator;
    if (!iterator) return;
    const maxQueued = this.workers + 4;
    while (!this.stopRequest && !this.readerDone) {
      if (this.queue.length >= maxQueued) {
        await this.changed.promise;
        continue;
      }
      const next = await iterator.next();
      if (next.done) {
        const last = this.intake.flush();
        if (last) this.enqueue(last);
        this.ledger.commit();
        this.readerDone = true;
        this.notify();
        return;
      }
      for (const batch of this.intake.accept(next.value)) this.enqueue(batch);
    }
  }

  private enqueue(rows: PendingRow[], front = false, id?: string, possiblyStored = false): void {
    this.batchCounter += 1;
    const batch: QueuedBatch = {
      id: id ?? `${this.ledger.previousSessions + 1}-${this.batchCounter}`,
      rows,
      attempt: 0,
      retryAttempt: 0,
      reauthorized: false,
      possiblyStored,
    };
    if (front) this.queue.unshift(batch);
    else this.queue.push(batch);
    this.notify();
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.stopRequest) return;
      const batch = this.queue.shift();
      if (!batch) {
        if (this.readerDone && this.busy === 0) return;
        await this.changed.promise;
        continue;
      }
      this.busy += 1;
      try {
        await sendUntilSettled(batch, this.retryHost);
      } finally {
        this.busy -= 1;
        this.notify();
      }
    }
  }

  private settleBatch(
    outcome: 'rejected' | 'failed',
    batch: QueuedBatch,
    detail: FailureDetail,
  ): void {
    const rows = batch.rows.map((r) => ({
      rowNumber: r.rowNumber,
      contactId: r.contact.id,
      data: r.contact.data,
    }));
    this.ledger.settle(outcome, batch.id, rows, detail);
    this.emitBatch(batch, outcome, detail);
  }

  private requestStop(request: StopRequest): void {
    if (this.stopRequest && this.stopRequest.kind !== 'pause') return;
    this.stopRequest = request;
    this.control.abort();
    this.notify();
  }

  private async finish(): Promise<RunSummary> {
    this.work?.withdraw();
    this.work = undefined;
    const request = this.stopRequest;
    if (request?.kind === 'pause') {
      this.reporter.stateReason = request.reason;
      this.setState('paused');
      this.ledger.session('pause', 'paused');
    } else {
      if (request) {
        const open = this.intake.flush();
        const leftovers = [
          ...this.parked,
          ...this.queue,
          ...(open ? [{ rows: open, id: 'open' }] : []),
        ];
        this.parked = [];
        this.queue = [];
        if (request.kind === 'cancel') {
          const { unconfirmed } = recordCancelled(this.ledger, leftovers, request.detail.reason);
          this.ledger.commit();
          // The rows' reason speaks of one row; the run's headline speaks of the run.
          this.reporter.stateReason = cancelledRunReason(this.ledger.notSent, unconfirmed);
        } else {
          // A stop (a 403 or 404 no retry fixes) records the rows it leaves as a cancel does: those
          // never sent, and the batch its answer refused (nothing stored), are not stored, so
          // resuming the run once the cause is fixed sends them with the rows never read
          const { reason } = request.detail;
          recordCancelled(
            this.ledger,
            leftovers,
            STOPPED_UNCONFIRMED_REASON,
            stoppedNotSentReason(reason),
          );
          this.ledger.commit();
          this.reporter.stateReason = stoppedRunReason(reason, this.ledger.notSent);
        }
      }
      this.setState(request ? (request.kind === 'cancel' ? 'cancelled' : 'stopped') : 'completed');
      this.ledger.session('end', this.reporter.state);
      this.ledger.close();
    }
    return this.reporter.end();
  }

  private setState(state: RunState): void {
    this.reporter.setState(state);
  }

  /**
   * The rows of the file, for the progress bar and the ETA: every row read once the reader is
   * done, before that the caller's count (the whole-file check's). A retry of failed rows reads
   * them from the journal: the file's count is not its total.
   */
  private fileRows(): number | undefined {
    if (this.options.mode === 'retry-failed') return undefined;
    return this.readerDone ? this.ledger.totals().rowsRead : this.options.totalRows;
  }

  /**
   * Of `fileRows` (a count or an estimate), the rows still to send: those not settled, less the
   * rejects the count foresaw that the reader has not reached yet (read and rejected, never
   * sent). A row the server rejects counts as one foreseen, so this errs high, never low.
   */
  private rowsToSend(fileRows: number): number {
    const totals = this.ledger.totals();
    // rows a cancel recorded before sending them are sent by this session (a resume)
    const settled =
      totals.uploaded + totals.rejected + totals.failed + totals.skipped - this.ledger.notSent;
    const unreadRejects = this.readerDone
      ? 0
      : Math.max(0, (this.options.expectedRejects ?? 0) - totals.rejected);
    return Math.max(0, fileRows - settled - unreadRejects);
  }

  /**
   * Tells the org's limiter how many requests this run still has to send (`OrgLimiter.registerWork`:
   * probes above a proven rate are priced by them, docs/ARCHITECTURE.md, "Probes priced by the
   * work left"). Once every row is read that is the batches queued and in the workers (a batch
   * sent again counts until it settles); before, the rows still to send (`rowsToSend`) of the
   * file's count (`totalRows`, the whole-file check's) or else of the source's rough
   * `estimatedRows`, in batches of the run's size; neither known, the run registers that it
   * cannot tell, so the limiter prices its probes as without a count even when another run on
   * the org knows its own. A retry of failed rows reads them from the journal, not the file: the
   * file's rows say nothing of its work until its reader is done.
   */
  private countWork(): void {
    if (this.reporter.state !== 'running') return;
    const fileRows =
      this.options.mode === 'retry-failed'
        ? undefined
        : (this.options.totalRows ?? this.options.estimatedRows?.());
    let requests: number | undefined;
    if (this.readerDone) requests = this.queue.length + this.busy;
    else if (fileRows !== undefined) {
      const perBatch = this.options.batchLimits?.maxContacts ?? defaultBatchLimits.maxContacts;
      requests = Math.ceil(this.rowsToSend(fileRows) / Math.max(1, perBatch));
    }
    if (this.work === undefined) this.work = this.options.limiter.registerWork(requests);
    else this.work.update(requests);
  }

  private notify(): void {
    this.countWork();
    const previous = this.changed;
    this.changed = signal();
    previous.resolve();
  }

  private emitBatch(
    batch: QueuedBatch,
    outcome: BatchEvent['outcome'],
    detail?: FailureDetail,
  ): void {
    this.emit({
      type: 'batch',
      batch: {
        runId: this.options.runId,
        batchId: batch.id,
        outcome,
        rows: batch.rows.length,
        attempt: batch.attempt,
        ...(detail ? { detail } : {}),
      },
    });
  }

  private emit(event: RunEvent): void {
    this.reporter.emit(event);
  }
}

/** A promise plus its resolve function (Node 20 has no Promise.withResolvers). */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** The run's stop signal; every waiting worker listens to it, hence the raised listener cap. */
function newControl(workers: number): AbortController {
  const controller = new AbortController();
  setMaxListeners(4 * workers, controller.signal);
  return controller;
}
