import type { RunState, RunSummary } from '../../contract/runs';
import type { RunLedger } from '../journal/run-ledger';
import type { Clock } from '../throttle/clock';
import type { OrgLimiterSnapshot } from '../throttle/org-limiter';
import { MetricsRecorder, type RequestCounters, type RowTotals } from './metrics-recorder';
import { writeRowReports, writeSummary } from './run-files';
import type { RunEvent } from './run-options';

/** What a run tells its reporter; each strategy supplies its own numbers. */
export interface RunReporterOptions {
  runId: string;
  runDir: string;
  orgName: string;
  contactListId: string;
  strategy: RunSummary['strategy'];
  clock: Clock;
  ledger: RunLedger;
  /** Interval of metrics ticks, at least 100 ms (≤ 10 per second). Default 250 ms. */
  metricsIntervalMs?: number;
  /** Request counters so far. */
  counters: () => RequestCounters;
  /** The limiter's numbers (or the import's stand-in). */
  limiter: () => OrgLimiterSnapshot;
  /** Row totals for a metrics tick (default: the ledger's). */
  rows?: () => RowTotals;
  /** The file's rows when known (a count before the run, or every row read), for progress. */
  totalRows?: () => number | undefined;
  /** Of those, the rows still to send (default: the total less the rows settled), for the ETA. */
  rowsLeft?: () => number | undefined;
}

/**
 * Everything both strategies report the same way: state and its reason, the summary (and
 * `summary.json`), listeners and events, metrics ticks coalesced to at most 10 a second, and
 * the end of a session (row reports, the final summary, the last tick, `finished`).
 */
export class RunReporter {
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly metrics: MetricsRecorder;
  private readonly startedAt = new Date().toISOString();
  private readonly startedAtMs: number;
  private currentState: RunState = 'created';
  private lastMetricsMs = -Infinity;
  /** Why the run is in its state (a stop's reason, an import's note). */
  stateReason: string | undefined;

  constructor(private readonly options: RunReporterOptions) {
    this.startedAtMs = options.clock.nowMs();
    this.metrics = new MetricsRecorder(options.runId);
  }

  /** Current state. */
  get state(): RunState {
    return this.currentState;
  }

  /** Subscribes to run events; returns the unsubscribe function. */
  on(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends one event to every listener. */
  emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Throws when the run was started before: a run object runs one session from `created`. */
  claimStart(): void {
    if (this.currentState !== 'created')
      throw new Error(`Run ${this.options.runId} was already started`);
  }

  /** Changes state and says so; entering `running` writes `summary.json` (History sees the run). */
  setState(state: RunState): void {
    this.currentState = state;
    this.emit({ type: 'state', state, ...(this.stateReason ? { reason: this.stateReason } : {}) });
    if (state === 'running') writeSummary(this.options.runDir, this.summary());
  }

  /** The current summary. */
  summary(): RunSummary {
    const { options } = this;
    const totals = options.ledger.totals();
    const counters = options.counters();
    const elapsedMs = options.clock.nowMs() - this.startedAtMs;
    return {
      runId: options.runId,
      orgName: options.orgName,
      contactListId: options.contactListId,
      strategy: options.strategy,
      state: this.currentState,
      ...(this.stateReason ? { stateReason: this.stateReason } : {}),
      startedAt: this.startedAt,
      updatedAt: new Date().toISOString(),
      elapsedMs,
      rowsRead: totals.rowsRead,
      uploaded: totals.uploaded,
      rejected: totals.rejected,
      failed: totals.failed,
      skipped: totals.skipped,
      requests: counters.requests,
      throttled: counters.throttled,
      retries: counters.retries,
      contactsPerSecond: elapsedMs > 0 ? totals.uploaded / (elapsedMs / 1000) : 0,
      invariant: options.ledger.invariant(),
      runDir: options.runDir,
      notSent: options.ledger.notSent,
    };
  }

  /** Starts the metrics timer; returns the function that stops it. */
  tickWhileRunning(): () => void {
    const intervalMs = Math.max(100, this.options.metricsIntervalMs ?? 250);
    const timer = setInterval(() => this.emitMetrics(), intervalMs);
    return () => clearInterval(timer);
  }

  /** Emits a metrics tick, at most 10 a second; `final` (the end of a session) always goes out. */
  emitMetrics(final = false): void {
    const { options } = this;
    const nowMs = options.clock.nowMs();
    if (!final && nowMs - this.lastMetricsMs < 100) return;
    this.lastMetricsMs = nowMs;
    const totalRows = options.totalRows?.();
    const rowsLeft = options.rowsLeft?.();
    const notSent = options.ledger.notSent;
    const ticked = this.metrics.tick({
      nowMs,
      elapsedMs: nowMs - this.startedAtMs,
      state: this.currentState,
      rows: options.rows?.() ?? options.ledger.totals(),
      counters: { ...options.counters() },
      limiter: options.limiter(),
      ...(totalRows !== undefined ? { totalRows } : {}),
      ...(rowsLeft !== undefined ? { rowsLeft } : {}),
    });
    const metrics = notSent > 0 ? { ...ticked, notSent } : ticked;
    this.emit({ type: 'metrics', metrics });
  }

  /**
   * Ends a session: writes the row reports and `summary.json`, sends the last tick, then
   * `beforeFinished`'s events, then `finished`. Returns the summary.
   */
  end(beforeFinished?: () => void): RunSummary {
    const { ledger, runDir } = this.options;
    writeRowReports(runDir, ledger.rowsWith('failed'), ledger.rowsWith('rejected'));
    const summary = this.summary();
    writeSummary(runDir, summary);
    this.emitMetrics(true);
    beforeFinished?.();
    this.emit({ type: 'finished', summary });
    return summary;
  }
}
