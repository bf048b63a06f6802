import type {
  BatchEvent,
  LiveRunShape,
  RunMetrics,
  RunSummary,
  SluiceApi,
} from '../../../../core/contract';
import { ELSEWHERE_POLL_MS, isRunningElsewhere } from './running-elsewhere';

/** Everything the renderer knows about one run. Replaced (never mutated) on every change. */
export interface RunEntry {
  runId: string;
  /** Metrics ticks kept for the charts, oldest first (at most MAX_POINTS). */
  points: RunMetrics[];
  latest?: RunMetrics;
  incidents: BatchEvent[];
  /** The summary of the session that ended last (completed, paused, cancelled, stopped). */
  summary?: RunSummary;
  orgName?: string;
  contactListName?: string;
  /**
   * Going on in another process (the command line): shown live, but this app cannot pause it.
   * Its progress is the journal's uploaded rows (its summary file moves only on state changes).
   */
  elsewhere?: { uploaded: number };
  /** Arrival order of the latest tick and of the summary: the later one says the state. */
  latestSeq?: number;
  summarySeq?: number;
}

const MAX_POINTS = 1800;
const MAX_INCIDENTS = 50;
/** Listeners hear about changes at most this often: charts redraw 4 times a second, no more. */
const NOTIFY_INTERVAL_MS = 250;
/**
 * Where builds before the engine reported its file's rows (`RunMetrics.totalRows`) kept each
 * run's count from the check; removed at start, since nothing reads it any more.
 */
const OLD_FILE_ROWS_KEY = 'sluice-run-file-rows';

/** A run is live while a session goes or waits paused: it has a place in the sidebar. */
export function isLiveState(state: RunSummary['state'] | undefined): boolean {
  return state === 'running' || state === 'pausing' || state === 'paused' || state === 'created';
}

/** The state a run is in now, from whichever came last: its latest tick or its summary. */
export function stateOf(entry: RunEntry | undefined): RunSummary['state'] | undefined {
  if (!entry) return undefined;
  if (entry.summary && (entry.summarySeq ?? 0) >= (entry.latestSeq ?? 0))
    return entry.summary.state;
  return entry.latest?.state ?? entry.summary?.state;
}

/**
 * The app's one subscription to run events. Every screen that shows a run reads it from here,
 * so a run survives navigation; on start (and after a reload) it asks the services which runs
 * are live and fetches their recent history, so the charts come back where they were.
 */
export class RunsStore {
  private entries = new Map<string, RunEntry>();
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly loading = new Set<string>();
  private liveIds: readonly string[] = [];
  private seq = 0;

  constructor(private readonly api: SluiceApi) {}

  /** Subscribes to the run events and loads the live runs; returns the function that stops. */
  start(): () => void {
    try {
      localStorage.removeItem(OLD_FILE_ROWS_KEY);
    } catch {
      // No storage here: nothing to tidy.
    }
    const pollTimer = setInterval(() => void this.pollElsewhere(), ELSEWHERE_POLL_MS);
    void this.pollElsewhere();
    const stops = [
      this.api.on('runs:metrics', (tick) => this.onMetrics(tick)),
      this.api.on('runs:batch', (batch) => this.onBatch(batch)),
      this.api.on('runs:finished', (summary) => this.onFinished(summary)),
    ];
    void this.api.invoke('runs:live', {}).then(
      (live) => live.forEach((run) => this.adoptLive(run)),
      () => undefined,
    );
    return () => {
      stops.forEach((stop) => stop());
      clearTimeout(this.notifyTimer);
      clearInterval(pollTimer);
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(runId: string): RunEntry | undefined {
    return this.entries.get(runId);
  }

  /** Ids of live runs, newest first (a stable array between changes, for useSyncExternalStore). */
  live = (): readonly string[] => this.liveIds;

  /** Loads a run's history and summary once (a run opened from History or after a reload). */
  ensure(runId: string): void {
    if (this.loading.has(runId)) return;
    this.loading.add(runId);
    void this.api.invoke('runs:trace', { runId }).then(
      (trace) => {
        const current = this.entryOf(runId);
        const known = new Set(current.points.map((point) => point.elapsedMs));
        const merged = [...trace.metrics.filter((m) => !known.has(m.elapsedMs)), ...current.points]
          .sort((a, b) => a.elapsedMs - b.elapsedMs)
          .slice(-MAX_POINTS);
        const latest = current.latest ?? trace.metrics.at(-1);
        const summary = current.summary ?? trace.summary;
        this.put({
          ...current,
          points: merged,
          ...(latest ? { latest, latestSeq: current.latestSeq ?? ++this.seq } : {}),
          incidents: current.incidents.length > 0 ? current.incidents : trace.incidents,
          ...(summary ? { summary, summarySeq: current.summarySeq ?? ++this.seq } : {}),
        });
      },
      () => undefined,
    );
    void this.api.invoke('runs:get', { runId }).then(
      (found) => {
        const current = this.entryOf(runId);
        const known = current.summary !== undefined || current.latest !== undefined;
        this.put({
          ...current,
          ...(known ? {} : { summary: found.summary, summarySeq: ++this.seq }),
          orgName: found.summary.orgName,
        });
      },
      () => undefined,
    );
  }

  /** Names a run (org and list) when the screen that started it knows them. */
  describe(runId: string, names: { orgName?: string; contactListName?: string }): void {
    this.put({ ...this.entryOf(runId), ...names });
  }

  /**
   * Finds runs another process (the command line) is running, from the runs folder's summaries
   * and their journals' last writes, so the sidebar lists them; forgets them once they end or
   * their journal goes quiet.
   */
  private async pollElsewhere(): Promise<void> {
    try {
      const [runs, live] = await Promise.all([
        this.api.invoke('runs:list', {}),
        this.api.invoke('runs:live', {}),
      ]);
      const liveHere = new Set(live.map((run) => run.runId));
      // A run resumed here (after it stopped elsewhere) is this app's own again.
      for (const runId of liveHere) if (this.isElsewhere(runId)) this.clearElsewhere(runId);
      const candidates = runs.filter(
        (run) =>
          !liveHere.has(run.runId) && (isLiveState(run.state) || this.isElsewhere(run.runId)),
      );
      const facts =
        candidates.length === 0
          ? []
          : await this.api.invoke('runs:facts', { runIds: candidates.map((run) => run.runId) });
      const nowMs = Date.now();
      for (const run of candidates) {
        const fact = facts.find((entry) => entry.runId === run.runId);
        const current = this.entries.get(run.runId);
        if (isRunningElsewhere(run.state, false, fact, nowMs)) {
          const entry = this.entryOf(run.runId);
          // The runs service shows a run no process of its own holds as paused; it is going.
          const { stateReason: _stopped, ...going } = run;
          this.put({
            ...entry,
            summary: { ...going, state: 'running' },
            summarySeq: entry.summarySeq ?? ++this.seq,
            orgName: run.orgName,
            ...(run.contactListName ? { contactListName: run.contactListName } : {}),
            elsewhere: { uploaded: fact?.journalUploaded ?? run.uploaded },
          });
        } else if (current?.elsewhere) {
          // Ended (its summary says how) or went quiet (killed): no longer live anywhere.
          if (isLiveState(run.state)) {
            this.entries.delete(run.runId);
            this.scheduleNotify();
          } else {
            const { elsewhere: _ended, ...rest } = current;
            this.put({ ...rest, summary: run, summarySeq: ++this.seq });
          }
        }
      }
    } catch {
      // The host is away for a moment: the next poll tries again.
    }
  }

  private clearElsewhere(runId: string): void {
    const current = this.entries.get(runId);
    if (!current?.elsewhere) return;
    const { elsewhere: _here, ...rest } = current;
    this.put(rest);
  }

  private isElsewhere(runId: string): boolean {
    return this.entries.get(runId)?.elsewhere !== undefined;
  }

  private adoptLive(run: LiveRunShape): void {
    const current = this.entryOf(run.runId);
    this.put({
      ...current,
      ...(run.orgName ? { orgName: run.orgName } : {}),
      ...(run.contactListName ? { contactListName: run.contactListName } : {}),
      ...(run.latest && !current.latest ? { latest: run.latest, latestSeq: ++this.seq } : {}),
      ...(run.summary && !current.summary ? { summary: run.summary, summarySeq: ++this.seq } : {}),
    });
    this.ensure(run.runId);
  }

  private onMetrics(tick: RunMetrics): void {
    // A tick comes only from a session of this app: the run is not elsewhere (any more).
    this.clearElsewhere(tick.runId);
    const current = this.entryOf(tick.runId);
    const last = current.points.at(-1);
    // A new session (a resume or a retry) counts its time from zero again: start a new trace.
    const points = last && tick.elapsedMs < last.elapsedMs ? [tick] : [...current.points, tick];
    if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
    this.put({ ...current, points, latest: tick, latestSeq: ++this.seq });
    if (!current.orgName && !this.loading.has(tick.runId)) this.ensure(tick.runId);
  }

  private onBatch(batch: BatchEvent): void {
    if (batch.outcome === 'uploaded') return;
    const current = this.entryOf(batch.runId);
    this.put({ ...current, incidents: [batch, ...current.incidents].slice(0, MAX_INCIDENTS) });
  }

  private onFinished(summary: RunSummary): void {
    const current = this.entryOf(summary.runId);
    this.put({ ...current, summary, summarySeq: ++this.seq, orgName: summary.orgName });
  }

  private entryOf(runId: string): RunEntry {
    const existing = this.entries.get(runId);
    if (existing) return existing;
    return { runId, points: [], incidents: [] };
  }

  private put(entry: RunEntry): void {
    this.entries.set(entry.runId, entry);
    this.scheduleNotify();
  }

  private scheduleNotify(): void {
    if (this.notifyTimer !== undefined) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      const live = [...this.entries.values()]
        .filter((entry) => isLiveState(stateOf(entry)))
        .map((entry) => entry.runId)
        .sort()
        .reverse();
      if (live.join('|') !== this.liveIds.join('|')) this.liveIds = live;
      for (const listener of this.listeners) listener();
    }, NOTIFY_INTERVAL_MS);
  }
}
