// A prepare worker that dies part way, for tests of what the parent does when its worker is
// killed (core/csv/prepare-in-worker.ts). It runs the real entry and watches its progress
// messages: once the chosen phase has read `afterRows` rows it dies, so the clean and rejects
// files are half-written at that moment, as in a real out-of-memory death on a large file. Or it
// gets stuck there instead (a long synchronous step), so it never reads a cancel. Only tests
// start this file: the app and the CLI start core/csv/prepare-worker-entry.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply } from '../../core/csv/prepare-in-worker';

/**
 * How the worker dies: out of its capped heap, an uncaught exception, or process.exit; or
 * 'stuck': it blocks its thread for good, so a cancel message is never read.
 */
export type DeathKind = 'out-of-memory' | 'uncaught' | 'exit' | 'stuck';

/** What the test passes in workerData next to the prepare options, or as JSON in the environment variable SLUICE_TEST_WORKER_DEATH. */
export interface DeathPlan {
  death: DeathKind;
  phase: 'indexing-ids' | 'preparing';
  afterRows: number;
}

const port = parentPort;
if (!port) throw new Error('dying-prepare-worker must run in a worker thread');
// Where a test that cannot add to workerData (one going through the services) puts its plan
// (not exported: importing this module outside a worker would run it).
const DEATH_PLAN_ENV = 'SLUICE_TEST_WORKER_DEATH';
const plan: DeathPlan =
  (workerData as Partial<DeathPlan>).death === undefined
    ? (JSON.parse(process.env[DEATH_PLAN_ENV] ?? 'null') as DeathPlan)
    : (workerData as DeathPlan);

function die(): void {
  if (plan.death === 'exit') process.exit(7);
  if (plan.death === 'stuck') {
    // Blocks without spinning the CPU; only terminate() ends it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    return;
  }
  if (plan.death === 'uncaught') {
    setImmediate(() => {
      throw new Error('simulated crash in the prepare worker');
    });
    return;
  }
  // Fills the heap until the worker's resourceLimits end the thread (ERR_WORKER_OUT_OF_MEMORY).
  const hoard: number[][] = [];
  for (;;) hoard.push(Array.from({ length: 100_000 }, (_, index) => index + hoard.length));
}

const post = port.postMessage.bind(port);
let dead = false;
port.postMessage = ((reply: WorkerReply) => {
  post(reply);
  if (dead || reply.type !== 'progress') return;
  if (reply.progress.phase === plan.phase && reply.progress.rowsRead >= plan.afterRows) {
    dead = true;
    die();
  }
}) as typeof port.postMessage;

// After the trap is set: the real entry starts the preparation when it is imported.
await import('../../core/csv/prepare-worker-entry');
