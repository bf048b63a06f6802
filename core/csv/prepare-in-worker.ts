import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import { CsvFileError } from './errors';
import type { CsvFileErrorReason } from './errors';
import type { PrepareOptions, PrepareProgress, PrepareSummary } from './prepare';
import { snapshotOutputs } from './output-snapshot';
import type { OutputSnapshot } from './output-snapshot';
import { unansweredCancelError, withLeftOver, workerDeathError } from './worker-failure';
import type { WorkerDeath, WorkerTask } from './worker-failure';
import { bundledWorkerUrl } from './worker-bundle';

/** Messages to the worker. */
export type WorkerRequest = { type: 'cancel' };
/** Messages from the worker. */
export type WorkerReply =
  | { type: 'progress'; progress: PrepareProgress }
  | { type: 'done'; summary: PrepareSummary }
  | { type: 'error'; error: { message: string; reason?: CsvFileErrorReason; path?: string } };

/** Where the worker script is. Running from source (tsx) it is the .ts file beside this one. */
export interface WorkerEntry {
  /** The worker module: the .ts entry from source, or the bundled .js in the packaged app. */
  url: URL;
  /** Extra Node options for the worker. */
  execArgv?: string[];
  /**
   * Heap limits for the worker. The default caps the old generation at 64 MB: the live heap of a
   * preparation is ~15 MB whatever the file size, and the cap makes V8 collect instead of letting
   * the heap (and RSS) drift upwards on long files.
   */
  resourceLimits?: ResourceLimits;
  /**
   * How long a cancel may wait for the worker to answer before the thread is stopped (default
   * CANCEL_GRACE_MS). The worker checks for a cancel between batches; one stuck in a long
   * synchronous step cannot read the message, and the consultant's Cancel must still work.
   */
  cancelGraceMs?: number;
}

/** Default worker heap cap (MB); see WorkerEntry.resourceLimits. */
export const WORKER_OLD_GENERATION_MB = 64;

/**
 * Default wait for a worker to acknowledge a cancel (ms); see WorkerEntry.cancelGraceMs. A batch
 * takes milliseconds, so a worker that has not answered within two seconds is not going to soon.
 */
export const CANCEL_GRACE_MS = 2_000;

/**
 * The default entry: from source, `prepare-worker-entry.ts` next to this file (loaded through
 * tsx); from a bundle (the CLI and host in dist/, see scripts/build-cli.mjs), the bundled
 * `prepare-worker.js` the build writes next to it.
 */
export function defaultWorkerEntry(): WorkerEntry {
  const fromSource = import.meta.url.endsWith('.ts');
  return {
    url: new URL(fromSource ? './prepare-worker-entry.ts' : './prepare-worker.js', import.meta.url),
  };
}

/**
 * Runs `prepareCsv` in a worker thread so a UI process stays responsive: same options and
 * result, progress and cancellation forwarded across the thread boundary. A bundled app
 * (esbuild) passes `entry` pointing at its bundled worker file. Errors keep their CsvFileError
 * reason. A worker that dies without answering (out of its capped heap, a crash, an exit)
 * rejects with a CsvFileError too (worker-failure.ts), after the parent has removed the output
 * files that preparation wrote: the worker's own clean-up cannot run once its thread is gone.
 * A cancel the worker does not answer within `entry.cancelGraceMs` stops the thread the same
 * way and rejects with reason 'cancelled'. `task` says what the messages call the work: a
 * check (csv:check) writes only temporary files, so its messages say nothing of outputs.
 */
export async function prepareCsvInWorker(
  options: PrepareOptions,
  entry: WorkerEntry = defaultWorkerEntry(),
  task: WorkerTask = 'prepare',
): Promise<PrepareSummary> {
  const { onProgress: _onProgress, signal: _signal, ...data } = options;
  // Before the worker starts, so whatever changes afterwards is this preparation's doing.
  const outputs = await snapshotOutputs([options.outPath, options.rejectsPath]);
  const worker = await startWorker(entry, data);
  return watchWorker(worker, options, {
    outputs,
    heapMb: heapLimitMb(entry),
    cancelGraceMs: entry.cancelGraceMs ?? CANCEL_GRACE_MS,
    task,
  });
}

/** What `watchWorker` needs to clean up after a worker that dies, and to say why it did. */
interface DeathContext {
  outputs: OutputSnapshot;
  heapMb: number | undefined;
  cancelGraceMs: number;
  task: WorkerTask;
}

/**
 * Forwards progress and cancellation to a started worker and settles with its answer. Any
 * failure settles only once the thread has exited (an error answer terminates it: the worker
 * has cleaned up by then), and after the outputs it wrote are removed, so the caller never sees
 * the failure while a half-written file is still there. A cancel left unanswered past the grace
 * time terminates the thread, which then settles as cancelled through the same exit path.
 */
function watchWorker(
  worker: Worker,
  options: PrepareOptions,
  context: DeathContext,
): Promise<PrepareSummary> {
  const { onProgress, signal } = options;
  return new Promise((resolve, reject) => {
    let settled = false;
    let answer: Error | undefined;
    let death: WorkerDeath | undefined;
    let unansweredCancel: ReturnType<typeof setTimeout> | undefined;
    let stoppedUnanswered = false;
    const cancel = (): void => {
      worker.postMessage({ type: 'cancel' } satisfies WorkerRequest);
      unansweredCancel ??= setTimeout(() => {
        stoppedUnanswered = true;
        void worker.terminate();
      }, context.cancelGraceMs);
    };
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(unansweredCancel);
      signal?.removeEventListener('abort', cancel);
      action();
    };
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') onProgress?.(reply.progress);
      else if (reply.type === 'done') finish(() => resolve(reply.summary));
      else if (!answer) {
        const { message, reason, path } = reply.error;
        answer = reason
          ? new CsvFileError(reason, path ?? options.csvPath, message)
          : new Error(message);
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      death ??= { error };
    });
    worker.on('exit', (exitCode) => {
      clearTimeout(unansweredCancel);
      if (settled) return;
      void context.outputs.removeWritten().then((removalFailures) => {
        // A check's outputs are in a temporary folder its caller removes whole.
        const leftOver = context.task === 'check' ? [] : removalFailures;
        const { csvPath } = options;
        finish(() =>
          reject(
            answer
              ? withLeftOver(answer, leftOver)
              : stoppedUnanswered
                ? unansweredCancelError(csvPath, leftOver, context.task)
                : workerDeathError(
                    csvPath,
                    death ?? { exitCode },
                    context.heapMb,
                    leftOver,
                    context.task,
                  ),
          ),
        );
      });
    });
  });
}

/** The old-generation cap the worker runs under (MB), when one is set. */
function heapLimitMb(entry: WorkerEntry): number | undefined {
  return entry.resourceLimits
    ? entry.resourceLimits.maxOldGenerationSizeMb
    : WORKER_OLD_GENERATION_MB;
}

// Node 20 ignores `--import tsx` in a worker's execArgv, so a .ts entry is started through a tiny
// CommonJS bootstrap that registers tsx's loader (as bin/sluice.js does) and then imports it.
const TSX_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.entry); });
`;

async function startWorker(entry: WorkerEntry, data: object): Promise<Worker> {
  const execArgv = entry.execArgv ?? [];
  const resourceLimits = entry.resourceLimits ?? {
    maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
  };
  if (!entry.url.pathname.endsWith('.ts')) {
    return new Worker(entry.url, { workerData: data, execArgv, resourceLimits });
  }
  // From source: a bundle of the entry starts without tsx; tsx is the fallback.
  const bundle = await bundledWorkerUrl(entry.url);
  if (bundle) return new Worker(bundle, { workerData: data, execArgv, resourceLimits });
  const tsxApi = tsxApiUrl();
  return new Worker(TSX_BOOTSTRAP, {
    eval: true,
    execArgv,
    resourceLimits,
    workerData: { ...data, tsxApi, entry: entry.url.href },
  });
}

/** The ES-module build of tsx's register API (the CommonJS build cannot be imported from a worker). */
function tsxApiUrl(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(packageJson), 'dist', 'esm', 'api', 'index.mjs')).href;
}
