// Worker-thread entry for `prepareCsvInWorker`: runs prepareCsv off the calling thread and
// reports progress, the summary, or the error back through messages. Not imported by anything.
import { parentPort, workerData } from 'node:worker_threads';
import { CsvFileError } from './errors';
import { prepareCsv } from './prepare';
import type { PrepareOptions } from './prepare';
import type { WorkerReply, WorkerRequest } from './prepare-in-worker';
import { progressSteps } from './progress-steps';

const port = parentPort;
if (!port) throw new Error('prepare-worker-entry must run in a worker thread');
const controller = new AbortController();
port.on('message', (message: WorkerRequest) => {
  if (message.type === 'cancel') controller.abort();
});
const options = workerData as Omit<PrepareOptions, 'onProgress' | 'signal'>;
const send = (reply: WorkerReply): void => port.postMessage(reply);

prepareCsv({
  ...options,
  signal: controller.signal,
  onProgress: progressSteps((progress) => send({ type: 'progress', progress })),
})
  .then((summary) => send({ type: 'done', summary }))
  .catch((error: unknown) => {
    if (error instanceof CsvFileError) {
      send({
        type: 'error',
        error: { message: error.message, reason: error.reason, path: error.path },
      });
    } else {
      send({
        type: 'error',
        error: { message: error instanceof Error ? error.message : String(error) },
      });
    }
  })
  .finally(() => port.close());
