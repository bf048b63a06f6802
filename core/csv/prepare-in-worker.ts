import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import { CsvFileError } from './errors';
import type { CsvFileErrorReason } from './errors';
import type { PrepareOptions, PrepareProgress, PrepareSummary } from './prepare';
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
}

/** Default worker heap cap (MB); see WorkerEntry.resourceLimits. */
export const WORKER_OLD_GENERATION_MB = 64;

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
 * reason; a worker that dies without answering rejects with a message saying so.
 */
export function prepareCsvInWorker(
  options: PrepareOptions,
  entry: WorkerEntry = defaultWorkerEntry(),
): Promise<PrepareSummary> {
  const { onProgress: _onProgress, signal: _signal, ...data } = options;
  return startWorker(entry, data).then((worker) => watchWorker(worker, options));
}

/** Forwards progress and cancellation to a started worker and settles with its answer. */
function watchWorker(worker: Worker, options: PrepareOptions): Promise<PrepareSummary> {
  const { onProgress, signal } = options;
  return new Promise((resolve, reject) => {
    let settled = false;
    const cancel = (): void => worker.postMessage({ type: 'cancel' } satisfies WorkerRequest);
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      action();
    };
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') onProgress?.(reply.progress);
      else if (reply.type === 'done') finish(() => resolve(reply.summary));
      else {
        const { message, reason, path } = reply.error;
        finish(() =>
          reject(
            reason
              ? new CsvFileError(reason, path ?? options.csvPath, message)
              : new Error(message),
          ),
        );
      }
    });
    worker.on('error', (error) =>
      finish(() => reject(new Error(`The CSV worker failed: ${error.message}`))),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(
          new Error(
            `The CSV worker stopped (exit code ${code}) before finishing ${options.csvPath}`,
          ),
        ),
      ),
    );
  });
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
