import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { basename, join, resolve as resolvePath } from 'node:path';
import { expandHome, type FileAccess } from './file-access';
import { createActiveTimeReader, type ActiveTime } from './run-active-time';
import { listSavedSchemas } from './saved-schemas';
import type {
  BatchEvent,
  CheckErrorRow,
  RunFacts,
  RunMetrics,
  RunSummary,
  Services,
} from '../contract';
import { ContractError } from '../contract';
import { REJECT_COLUMNS, restoreNeutralised } from '../csv';
import { detectTextFormat, readTextRecords } from '../csv/text-records';
import { prepareCsvInWorker, type WorkerEntry } from '../csv/prepare-in-worker';
import { RUN_FILES } from '../engine/run/run-files';
import { findCheckWarnings } from './check-warnings';
import type { EventBus } from './event-bus';
import type { SchemaLoader } from './schema-loader';

type RunViewChannel =
  'runs:live' | 'runs:trace' | 'runs:facts' | 'csv:check' | 'csv:savedSchemas' | 'csv:resolvePath';

/** What the run view's services need. */
export interface RunViewDeps {
  events: EventBus;
  dataFolder: string;
  loadSchema: SchemaLoader;
  prepareWorker?: WorkerEntry;
  /** Which paths a call may open (the capability check). */
  files: FileAccess;
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
 * run's charts from where they were. It also runs the whole-file check before an upload. It owns
 * no run: starting, pausing and accounting stay with the runs service.
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

    'csv:check': async ({ jobId, path: requested, sheet, source, mapping, maxErrorRows }) => {
      const path = deps.files.check(requested, 'read', 'the file to check');
      const schema = await deps.loadSchema(source);
      const folder = mkdtempSync(join(os.tmpdir(), 'sluice-check-'));
      try {
        const rejectsPath = join(folder, 'rejects.csv');
        // The same worker the Prepare screen uses: streaming, off the main thread.
        const summary = await prepareCsvInWorker(
          {
            csvPath: path,
            ...(sheet ? { sheet } : {}),
            schema,
            mapping,
            outPath: join(folder, 'clean.csv'),
            rejectsPath,
            onProgress: (progress) => deps.events.emit('csv:progress', { jobId, ...progress }),
          },
          deps.prepareWorker,
          'check',
        ).catch((error: unknown) => {
          throw new ContractError(
            'invalid-request',
            error instanceof Error ? error.message : String(error),
          );
        });
        const { headers, errorRows, rejectedRows } = await readRejects(rejectsPath, maxErrorRows);
        const warnings = await findCheckWarnings({
          sourcePath: path,
          cleanPath: join(folder, 'clean.csv'),
          rejectedRows,
          schema,
          maxRows: maxErrorRows,
        });
        return {
          rowsRead: summary.rowsRead,
          clean: summary.clean,
          rejected: summary.rejected,
          byRule: summary.byRule as Record<string, number>,
          headers,
          errorRows,
          warned: warnings.warned,
          byWarning: warnings.byWarning as Record<string, number>,
          warningRows: warnings.rows,
        };
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Reads the first rejected rows back from a rejects file (reason columns, then the row), and the
 * row numbers of all of them (the warnings pass skips those rows). Read as plain records:
 * `openCsv` recognises a rejects file and drops exactly the reason columns wanted here.
 */
async function readRejects(rejectsPath: string, maxRows: number) {
  const format = await detectTextFormat(rejectsPath, {});
  let headers: string[] | undefined;
  const errorRows: CheckErrorRow[] = [];
  const rejectedRows = new Set<number>();
  for await (const batch of readTextRecords(rejectsPath, format)) {
    for (const record of batch) {
      if (!headers) {
        headers = record.values.slice(REJECT_COLUMNS.length).map(restoreNeutralised);
        continue;
      }
      const [rowNumber = '0', rules = '', reasons = '', ...values] = record.values;
      rejectedRows.add(Number(rowNumber));
      if (errorRows.length >= maxRows) continue;
      errorRows.push({
        rowNumber: Number(rowNumber),
        rules: rules.split(' ').filter(Boolean),
        reasons,
        // The rejects file is formula-safe for Excel; show the cells as they were in the file.
        values: values.map(restoreNeutralised),
      });
    }
  }
  return { headers: headers ?? [], errorRows, rejectedRows };
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
    return {
      runId,
      ...(createdAt ? { createdAt } : {}),
      ...(csvPath ? { csvFileName: basename(csvPath) } : {}),
      ...(text('contactListName') ? { contactListName: text('contactListName') } : {}),
      ...(number('batchSize') !== undefined ? { batchSize: number('batchSize') } : {}),
      ...(headroom !== undefined ? { headroomPercent: Math.round(headroom * 100) } : {}),
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
