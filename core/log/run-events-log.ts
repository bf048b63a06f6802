import type { Logger } from 'pino';
import type { BatchEvent, EventName, RunMetrics, RunSummary } from '../contract';

/**
 * Logs what an upload run does, from the events the engine already emits (so no engine code
 * knows about logging): one line per batch outcome with its status and Genesys correlation id,
 * one line when a run starts running and when it ends with its accounting. It also remembers
 * which runs are running, so a crash handler can say which journals were open.
 */
export class RunEventsLog {
  private readonly running = new Map<string, { org?: string; announced?: boolean }>();

  /**
   * `resolveOrg` names the org of a run first seen through events (the app's services know it
   * from the run's summary); its answer is added to the run's later lines.
   */
  constructor(
    private readonly logger: Logger,
    private readonly resolveOrg?: (runId: string) => Promise<string | undefined>,
  ) {}

  /** Run ids that were running and have not finished. */
  runningRunIds(): string[] {
    return [...this.running.keys()];
  }

  /** Records the org a run talks to, so its batch lines carry it (the CLI knows it up front). */
  setOrg(runId: string, org: string): void {
    this.running.set(runId, { ...this.running.get(runId), org });
  }

  /** For an event bus subscription: `events.subscribe((name, payload) => log.onEvent(name, payload))`. */
  onEvent(event: EventName, payload: unknown): void {
    if (event === 'runs:batch') this.batch(payload as BatchEvent);
    else if (event === 'runs:metrics') this.metrics(payload as RunMetrics);
    else if (event === 'runs:finished') this.finished(payload as RunSummary);
    else if (event === 'app:notice') {
      const notice = payload as { level: 'info' | 'warning' | 'error'; message: string };
      const level = notice.level === 'warning' ? 'warn' : notice.level;
      this.logger[level]({ event }, notice.message);
    }
  }

  batch(batch: BatchEvent): void {
    const { detail } = batch;
    const entry = {
      event: 'batch',
      runId: batch.runId,
      org: this.running.get(batch.runId)?.org,
      batchId: batch.batchId,
      outcome: batch.outcome,
      rows: batch.rows,
      attempt: batch.attempt,
      status: detail?.status,
      code: detail?.code,
      correlationId: detail?.correlationId,
    };
    const message = detail ? `batch ${batch.outcome}: ${detail.reason}` : `batch ${batch.outcome}`;
    if (batch.outcome === 'failed') this.logger.error(entry, message);
    else if (batch.outcome === 'retrying' || batch.outcome === 'rejected') {
      this.logger.warn(entry, message);
    } else this.logger.info(entry, message);
  }

  metrics(metrics: RunMetrics): void {
    const active = metrics.state === 'running' || metrics.state === 'pausing';
    const known = this.running.get(metrics.runId);
    if (!active || known?.announced) return;
    this.running.set(metrics.runId, { ...known, announced: true });
    if (known?.org === undefined && this.resolveOrg) {
      const runId = metrics.runId;
      this.resolveOrg(runId)
        .then((org) => {
          if (org !== undefined && this.running.has(runId)) this.setOrg(runId, org);
        })
        .catch(() => undefined);
    }
    this.logger.info(
      { event: 'run-running', runId: metrics.runId, org: known?.org },
      'run is running',
    );
  }

  finished(summary: RunSummary): void {
    this.running.delete(summary.runId);
    const entry = {
      event: 'run-finished',
      runId: summary.runId,
      org: summary.orgName,
      state: summary.state,
      stateReason: summary.stateReason,
      rowsRead: summary.rowsRead,
      uploaded: summary.uploaded,
      rejected: summary.rejected,
      failed: summary.failed,
      skipped: summary.skipped,
      requests: summary.requests,
      throttled: summary.throttled,
      invariantHolds: summary.invariant.holds,
    };
    const message = `run ${summary.state}: ${summary.uploaded}/${summary.rowsRead} uploaded`;
    if (summary.invariant.holds) this.logger.info(entry, message);
    else this.logger.error({ ...entry, problems: summary.invariant.problems }, message);
  }
}
