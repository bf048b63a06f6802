// Upload engine benchmark: Sluice against three baselines (the field report's recipe, a plain
// pacing + AIMD sender, an oracle told the binding limit) on a matrix of Sandbox limiter shapes:
// named cells plus cells drawn at random on every run (seed printed and recorded; set
// UPLOAD_BENCH_SEED to replay one). Sandboxes live in one child process and every sender in a
// pool of client processes, one job each at a time, so each job's client CPU is its own.
// Every figure is read on the Sandbox's side (its request log and its clock), the same way for
// every sender. A last phase runs three orgs at once next to a solo run of the same cell, with
// nothing else running, so the two compare under the same load.
// Stdout carries only the Markdown section; progress goes to stderr.
// UPLOAD_BENCH_ONLY=cell,cell (cell names hold ", ", never ",") and UPLOAD_BENCH_SENDERS=sluice,aimd narrow a run while iterating;
// UPLOAD_BENCH_CONCURRENCY sets how many jobs run at once.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DeepPartial, SandboxConfig } from '../../core/sandbox';
import {
  BATCH,
  SANDBOX_SECOND_MS,
  TIME_SCALE,
  namedCells,
  randomCells,
  type Cell,
} from './upload/cells';
import type { Job } from './upload/client-worker';
import type { SenderName, SenderResult } from './upload/senders';
import { renderReport, type JobOutcome, type LoopDelay } from './upload/report';
import { scoreOnSandbox, type ListStats } from './upload/score';

const RANDOM_CELLS = 8;
const TIMEOUT_MS = 2000;
/**
 * Jobs per core: a job is a paced upload whose client spends about 1.5 CPU s over its 30 to 40 s
 * (the report's CPU column), plus its share of the Sandbox process, so three per core leave the
 * cores mostly idle (the report prints how late the Sandbox's event loop ran) while the whole
 * bench stays near a quarter of an hour on two cores.
 */
const JOBS_PER_CORE = 3;
const CONCURRENCY = Number(
  process.env.UPLOAD_BENCH_CONCURRENCY ?? Math.max(2, availableParallelism() * JOBS_PER_CORE),
);

interface OrgInfo {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
}

/** A child process answering `{id, ...}` messages with `{id, value}`. */
function child(file: string): {
  call: (message: Record<string, unknown>) => Promise<unknown>;
  process: ChildProcess;
} {
  const proc = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 0;
  const pending = new Map<number, (value: unknown) => void>();
  proc.on('message', (message: { id: number; value: unknown }) => {
    pending.get(message.id)?.(message.value);
    pending.delete(message.id);
  });
  return {
    process: proc,
    call: (message) =>
      new Promise((resolve) => {
        next += 1;
        pending.set(next, resolve);
        proc.send({ id: next, ...message });
      }),
  };
}

function sandboxOptions(cell: Cell, orgCount: number, seed: number) {
  const orgs = Array.from({ length: orgCount }, (_, i) => ({
    name: `Bench org ${i + 1}`,
    clientId: `bench-client-${i + 1}`,
    clientSecret: `bench-secret-${i + 1}`,
    lists: [],
  }));
  const overrides: DeepPartial<SandboxConfig> = {
    orgs,
    limits: cell.layers,
    retryAfterMode: cell.retryAfterMode,
    secondMs: SANDBOX_SECOND_MS,
    ...(cell.retryAfterLongSeconds ? { retryAfterLongSeconds: cell.retryAfterLongSeconds } : {}),
    ...(cell.faults ? { faults: cell.faults } : {}),
  };
  return { scenario: 'demo', seed, overrides };
}

interface BenchJob {
  cell: Cell;
  sender: SenderName;
  orgs: number;
  kind: Job['kind'];
  label: string;
}

type Worker = ReturnType<typeof child>;

/**
 * Runs one job on a fresh Sandbox and scores it from the Sandbox's side: contacts stored per
 * second between the arrival of the first `POST .../contacts` and that of the last one that
 * stored its batch (that last batch left out, so a sender pacing exactly at R scores R), and the
 * ceiling over the same interval, the cell's schedule aligned to the Sandbox's own origin.
 */
async function runJob(
  job: BenchJob,
  key: string,
  seed: number,
  sandbox: Worker,
  worker: Worker,
): Promise<JobOutcome[]> {
  const box = (await sandbox.call({
    cmd: 'start',
    args: { key, options: sandboxOptions(job.cell, job.orgs, 3) },
  })) as { url: string; orgs: OrgInfo[] };
  const orgs = box.orgs.slice(0, job.orgs);
  const lists = await Promise.all(
    orgs.map(
      (org) => sandbox.call({ cmd: 'list', args: { key, orgId: org.id } }) as Promise<string>,
    ),
  );
  const count = job.cell.requests * BATCH;
  const answer = (await worker.call({
    job: {
      kind: job.kind,
      cellName: job.cell.name,
      seed,
      sender: job.sender,
      targets: orgs.map((org, i) => ({
        url: box.url,
        org,
        listId: lists[i] ?? '',
        count,
        timeoutMs: TIMEOUT_MS,
      })),
    } satisfies Job,
  })) as { results?: SenderResult[]; cpuMs?: number; error?: string };
  if (answer.error || !answer.results)
    throw new Error(`${job.label} / ${job.sender}: ${answer.error}`);
  const outcomes: JobOutcome[] = [];
  for (const [i, result] of answer.results.entries()) {
    const stats = (await sandbox.call({
      cmd: 'stats',
      args: { key, listId: lists[i] },
    })) as ListStats;
    const score = scoreOnSandbox(stats, job.cell, count);
    outcomes.push({
      cell: job.cell,
      label: job.orgs > 1 ? `${job.label}, org ${i + 1}` : job.label,
      kind: job.kind,
      sender: job.sender,
      rows: count,
      ...score,
      requests: stats.posts,
      throttled: stats.throttled,
      cpuMsPer100kRows: ((answer.cpuMs ?? 0) / answer.results.length) * (100_000 / count),
      clientElapsedMs: result.elapsedMs,
    });
  }
  await sandbox.call({ cmd: 'stop', args: { key } });
  return outcomes;
}

/** A list from the environment; unset or empty means no narrowing (undefined). */
function envList(name: string, separator: string | RegExp): string[] | undefined {
  const value = process.env[name]?.trim();
  return value ? value.split(separator) : undefined;
}

async function main(): Promise<void> {
  // unset or empty: a fresh draw; anything else must be a whole number (a typo is refused)
  const seedText = process.env.UPLOAD_BENCH_SEED?.trim();
  const seed = seedText ? Number(seedText) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed))
    throw new Error(`UPLOAD_BENCH_SEED must be a whole number, not "${seedText}"`);
  process.stderr.write(
    `upload bench: random cells seed ${seed} (replay with UPLOAD_BENCH_SEED=${seed})\n`,
  );
  // names are separated by a comma without a space ("GCRA, burst 1" is one name)
  const only = envList('UPLOAD_BENCH_ONLY', /,(?! )/);
  const cells = [...namedCells(), ...randomCells(seed, RANDOM_CELLS)].filter(
    (cell) => !only || only.includes(cell.name),
  );
  const allSenders: SenderName[] = ['sluice', 'aimd', 'oracle', 'field-recipe'];
  const asked = envList('UPLOAD_BENCH_SENDERS', ',');
  const unknown = asked?.filter((name) => !allSenders.includes(name as SenderName)) ?? [];
  if (unknown.length > 0)
    throw new Error(
      `UPLOAD_BENCH_SENDERS names no sender "${unknown.join('", "')}" (senders: ${allSenders.join(', ')})`,
    );
  const senders = (asked ?? allSenders) as SenderName[];
  const jobs: BenchJob[] = [];
  for (const cell of cells)
    for (const sender of senders)
      jobs.push({ cell, sender, orgs: 1, kind: 'cell', label: cell.name });
  const honest = cells.find((cell) => cell.name === 'honest');
  const lastPhase: BenchJob[] = [];
  if (honest && senders.includes('sluice')) {
    jobs.push({
      cell: honest,
      sender: 'sluice',
      orgs: 1,
      kind: 'sdk',
      label: 'honest, SDK transport',
    });
    // the solo reference runs beside the three orgs, under the same load
    lastPhase.push(
      { cell: honest, sender: 'sluice', orgs: 1, kind: 'cell', label: 'solo, beside three orgs' },
      { cell: honest, sender: 'sluice', orgs: 3, kind: 'cell', label: 'three orgs at once' },
    );
  }
  // longest first, so the pool drains evenly
  jobs.sort((a, b) => b.cell.requests - a.cell.requests);

  const sandbox = child('./upload/sandbox-host.ts');
  const poolSize = Math.max(lastPhase.length, 1, Math.min(CONCURRENCY, jobs.length));
  const workers = Array.from({ length: poolSize }, () => child('./upload/client-worker.ts'));
  const outcomes: JobOutcome[] = [];
  const loopDelays: LoopDelay[] = [];
  let done = 0;
  const total = jobs.length + lastPhase.length;
  const started = performance.now();
  const runPhase = async (phase: string, phaseJobs: BenchJob[], pool: Worker[]) => {
    const queue = [...phaseJobs];
    await sandbox.call({ cmd: 'loop-delay', args: {} }); // start the phase's measure afresh
    await Promise.all(
      pool.map(async (worker, index) => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const key = `${phase}-${index}-${done}-${job.label}-${job.sender}`;
          outcomes.push(...(await runJob(job, key, seed, sandbox, worker)));
          done += 1;
          process.stderr.write(
            `upload bench: ${done}/${total} ${job.label} / ${job.sender} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
          );
        }
      }),
    );
    const delay = (await sandbox.call({ cmd: 'loop-delay', args: {} })) as Omit<
      LoopDelay,
      'phase' | 'jobsAtOnce'
    >;
    loopDelays.push({ phase, jobsAtOnce: pool.length, ...delay });
  };
  try {
    await runPhase('matrix', jobs, workers);
    if (lastPhase.length > 0)
      await runPhase('three orgs and solo', lastPhase, workers.slice(0, lastPhase.length));
  } finally {
    for (const worker of workers) worker.process.kill();
    sandbox.process.kill();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  process.stdout.write(
    renderReport(outcomes, {
      seed,
      wallSeconds,
      timeScale: TIME_SCALE,
      batch: BATCH,
      concurrency: workers.length,
      cellNames: cells.map((cell) => cell.name),
      loopDelays,
    }),
  );
}

await main();
