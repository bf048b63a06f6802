import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve as resolvePath } from 'node:path';
import { expandHome, type FileAccess } from './file-access';
import { createActiveTimeReader, type ActiveTime } from './run-active-time';
import { listSavedSchemas } from './saved-schemas';
import type { BatchEvent, RunFacts, RunMetrics, RunSummary, Services } from '../contract';
import type { WorkerEntry } from '../csv/prepare-in-worker';
import { RUN_FILES } from '../engine/run/run-files';
import { CountedRows, rowsIfUnchanged } from '../engine/run/file-rows';
import { createFileCheckServices } from './file-check';
import type { EventBus } from './event-bus';
import type { SchemaLoader } from './schema-loader';
import { CheckedFiles } from './checked-files';

type RunViewChannel =
  | 'runs:live'
  | 'runs:trace'
  | 'runs:facts'
  | 'csv:check'
  | 'csv:cancelCheck'
  | 'csv:savedSchemas'
  | 'csv:resolvePath';

/** What the run view's services need. */
export interface RunViewDeps {
  events: EventBus;
  dataFolder: string;
  loadSchema: SchemaLoader;
  prepareWorker?: WorkerEntry;
  /** Which paths a call may open (the capability check). */
  files: FileAccess;
  /**
   * Where the whole-file check remembers what it counted, for `runs:start` (share the runs
   * service's; default: one of its own, which no upload reads).
   */
  checkedFiles?: CheckedFiles;
}

/** Keep one metrics point per half second: charts need no more, and 15 minutes fit in 1,800. */
const TRACE_SPACING_MS = 500;
const TRACE_MAX_POINTS = 1800;
const MAX_INCIDENTS = 50;
/** Traces of ended runs kept for their views and reports; older ones are let go. */
const MAX_ENDED_TRACES = 30;

interface Trace {
  metrics: RunMetrics[];
  /** True when the last point is the latest tick standing in until the next kept one. */
  tail?: boolean;
  incidents: BatchEvent[];
  summary?: RunSummary;
  latest?: RunMetrics;
}

/**
 * The run view's memory: it listens to every run event on the bus and keeps, per run, a ring of
 * recent metrics and incidents, so a renderer that reloads (or a second window) redraws a live
 * run's charts from where they were. It also serves the whole-file check before an upload
 * (file-check.ts). It owns no run: starting, pausing and accounting stay with the runs service.
 */
export function createRunViewServices(deps: RunViewDeps): Pick<Services, RunViewChannel> {
  const traces = new Map<string, Trace>();
  const activeTimeOf = createActiveTimeReader();
  const traceOf = (runId: string): Trace => {
    let trace = traces.get(runId);
    if (!trace) {
      trace = { metrics: [], incidents: [] };
      traces.set(runId, trace);
    }
    return trace;
  };

  deps.events.subscribe((event, payload) => {
    if (event === 'runs:metrics') {
      const tick = payload as RunMetrics;
      const trace = traceOf(tick.runId);
      trace.latest = tick;
      if (trace.summary && tick.state === 'running') delete trace.summary;
      const last = trace.metrics.at(-1);
      if (last && tick.elapsedMs < last.elapsedMs) {
        // A new session (a resume or a retry) counts its time from zero again.
        trace.metrics = [tick];
        trace.tail = false;
        return;
      }
      // Kept points stand half a second apart; the newest tick rides at the end as a "tail"
      // that the next tick replaces until half a second has passed since the last kept one.
      const anchor = trace.tail ? trace.metrics.at(-2) : last;
      const closeToAnchor =
        anchor !== undefined && tick.elapsedMs - anchor.elapsedMs < TRACE_SPACING_MS;
      if (trace.tail) trace.metrics[trace.metrics.length - 1] = tick;
      else trace.metrics.push(tick);
      trace.tail = closeToAnchor;
      if (trace.metrics.length > TRACE_MAX_POINTS) trace.metrics.shift();
    } else if (event === 'runs:batch') {
      const batch = payload as BatchEvent;
      if (batch.outcome === 'uploaded') return;
      const trace = traceOf(batch.runId);
      trace.incidents.unshift(batch);
      trace.incidents.length = Math.min(trace.incidents.length, MAX_INCIDENTS);
    } else if (event === 'runs:finished') {
      const summary = payload as RunSummary;
      traceOf(summary.runId).summary = summary;
      forgetOldTraces();
    }
  });

  function isLive(trace: Trace): boolean {
    const state = trace.summary?.state ?? trace.latest?.state;
    return state === 'running' || state === 'pausing' || state === 'created' || state === 'paused';
  }

  /** Keeps memory flat over a long session: only the most recent ended runs keep their trace. */
  function forgetOldTraces(): void {
    const ended = [...traces.entries()].filter(([, trace]) => !isLive(trace));
    for (const [runId] of ended.slice(0, Math.max(0, ended.length - MAX_ENDED_TRACES))) {
      traces.delete(runId);
    }
  }

  return {
    'runs:live': async () =>
      [...traces.entries()]
        .filter(([, trace]) => isLive(trace))
        .map(([runId, trace]) => {
          const facts = readFacts(deps.dataFolder, runId, activeTimeOf);
          return {
            runId,
            ...(trace.summary ? { orgName: trace.summary.orgName, summary: trace.summary } : {}),
            ...(trace.latest ? { latest: trace.latest } : {}),
            ...(facts.contactListName ? { contactListName: facts.contactListName } : {}),
          };
        }),

    'runs:trace': async ({ runId }) => {
      const trace = traces.get(runId);
      if (!trace) return { runId, metrics: [], incidents: [], live: false };
      return {
        runId,
        metrics: [...trace.metrics],
        incidents: [...trace.incidents],
        ...(trace.summary ? { summary: trace.summary } : {}),
        live: isLive(trace) && trace.summary?.state !== 'paused',
      };
    },

    'runs:facts': async ({ runIds }) =>
      runIds.map((runId) => readFacts(deps.dataFolder, runId, activeTimeOf)),

    'csv:savedSchemas': async () => listSavedSchemas(deps.dataFolder),

    // Only says how a typed path reads (what "~" means here); opening still goes through `files`.
    'csv:resolvePath': async ({ path: typed }) => ({
      absolutePath: resolvePath(expandHome(typed.trim())),
    }),

    ...createFileCheckServices({ ...deps, checkedFiles: deps.checkedFiles ?? new CheckedFiles() }),
  };
}

/** Facts from a run's `run.json`; only what the file holds (CLI runs may lack some). */
function readFacts(
  dataFolder: string,
  runId: string,
  activeTimeOf: (journalPath: string) => ActiveTime | undefined,
): RunFacts {
  try {
    const meta = JSON.parse(
      readFileSync(join(dataFolder, 'runs', runId, RUN_FILES.meta), 'utf8'),
    ) as Record<string, unknown>;
    const text = (key: string) =>
      typeof meta[key] === 'string' ? (meta[key] as string) : undefined;
    const number = (key: string) =>
      typeof meta[key] === 'number' ? (meta[key] as number) : undefined;
    const csvPath = text('csvPath');
    const journalPath = join(dataFolder, 'runs', runId, RUN_FILES.journal);
    const journalUpdatedAt = journalTime(journalPath);
    const active = activeTimeOf(journalPath);
    const createdAt = text('createdAt') ?? active?.firstStartAt;
    const headroom = number('headroom');
    const counted = CountedRows.safeParse(meta.fileRows);
    const fileRows =
      csvPath && counted.success ? rowsIfUnchanged(csvPath, counted.data)?.rows : undefined;
    return {
      runId,
      ...(createdAt ? { createdAt } : {}),
      ...(csvPath ? { csvFileName: basename(csvPath) } : {}),
      ...(text('contactListName') ? { contactListName: text('contactListName') } : {}),
      ...(number('batchSize') !== undefined ? { batchSize: number('batchSize') } : {}),
      ...(headroom !== undefined ? { headroomPercent: Math.round(headroom * 100) } : {}),
      ...(fileRows !== undefined ? { fileRows } : {}),
      ...(journalUpdatedAt ? { journalUpdatedAt } : {}),
      ...(active
        ? {
            activeMs: active.activeMs,
            journalUploaded: active.uploadedRows,
            sessionOpen: active.sessionOpen,
          }
        : {}),
    };
  } catch {
    return { runId };
  }
}

/** The journal's modification time (ISO), or undefined when it does not exist yet. */
function journalTime(path: string): string | undefined {
  try {
    return statSync(path).mtime.toISOString();
  } catch {
    return undefined;
  }
}
