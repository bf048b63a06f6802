// The throttle's yardstick: the fake-clock matrix (simulate-matrix.ts) on eight fixed seed sets,
// summarised side by side, so a change to the engine is judged on every limiter family and on
// hidden limits moved off the named cells' rate, not on the one cell it was written for.
// The sets: three seed ranges (each with its own random cells), the named cells four times as
// long, and the named cells with their hidden limits at 0.7x, 0.85x, 1.15x and 1.3x their rate
// (SIM_HIDDEN_SCALE). A set's line is its summary: runs that met the targets, runs that beat
// AIMD, the median and mean share. With --compare, the difference from an earlier run saved
// under another name.
// Run: npx tsx tests/bench/upload/sim-yardstick.ts NAME [--span] [--jobs 2] [--out DIR]
//        [--compare OTHER] [--no-run]
//   NAME       what this run is saved as (DIR/NAME-<set>.txt, one simulate-matrix output per set)
//   --span     score as the real bench does (SIM_SPAN=1: over the span to the last stored batch)
//   --jobs N   sets run at once (default 2, one per core here)
//   --out DIR  where outputs are saved (default .sim-yardstick, ignored by git)
//   --compare  OTHER's saved outputs (same scoring) beside this run's, with the difference
//   --no-run   only read what NAME saved before (to compare two saved runs)
// A set takes 20 s on a quiet core (the long one 70 s): the yardstick about 1.5 minutes a scoring.
// Met moves by a run or two between machines' float paths and timers; read a difference of
// one or two as noise and judge a change on all eight sets and on both scorings.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface YardstickSet {
  name: string;
  seeds: string;
  env: Record<string, string>;
}

const SETS: YardstickSet[] = [
  { name: 's1', seeds: '1-8', env: {} },
  { name: 's9', seeds: '9-16', env: {} },
  { name: 's21', seeds: '21-28', env: {} },
  { name: 'L4', seeds: '1-8', env: { SIM_LENGTH: '4' } },
  { name: 'x0.7', seeds: '1-8', env: { SIM_HIDDEN_SCALE: '0.7' } },
  { name: 'x0.85', seeds: '1-8', env: { SIM_HIDDEN_SCALE: '0.85' } },
  { name: 'x1.15', seeds: '1-8', env: { SIM_HIDDEN_SCALE: '1.15' } },
  { name: 'x1.3', seeds: '1-8', env: { SIM_HIDDEN_SCALE: '1.3' } },
];

interface Summary {
  met: number;
  beats: number;
  runs: number;
  median: number;
  mean: number;
}

/** The summary line simulate-matrix prints for a seed set, or undefined if the run failed. */
function parseSummary(output: string): Summary | undefined {
  const match =
    /median\s+([\d.]+)% mean\s+([\d.]+)% met (\d+) beats (\d+) beats-with-fewer-429 \d+ of (\d+) runs/.exec(
      output,
    );
  if (!match) return undefined;
  return {
    median: Number(match[1]),
    mean: Number(match[2]),
    met: Number(match[3]),
    beats: Number(match[4]),
    runs: Number(match[5]),
  };
}

interface Options {
  name: string;
  span: boolean;
  jobs: number;
  out: string;
  compare?: string;
  run: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { name: '', span: false, jobs: 2, out: '.sim-yardstick', run: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--span') options.span = true;
    else if (arg === '--no-run') options.run = false;
    else if (arg === '--jobs') options.jobs = Math.max(1, Number(argv[(i += 1)]));
    else if (arg === '--out') options.out = argv[(i += 1)] ?? options.out;
    else if (arg === '--compare') options.compare = argv[(i += 1)];
    else if (arg?.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (arg) options.name = arg;
  }
  if (!options.name) {
    throw new Error(
      'usage: sim-yardstick.ts NAME [--span] [--jobs N] [--out DIR] [--compare OTHER] [--no-run]',
    );
  }
  return options;
}

function outputPath(options: Options, name: string, set: YardstickSet): string {
  return join(options.out, `${name}-${set.name}${options.span ? '-span' : ''}.txt`);
}

const MATRIX = fileURLToPath(new URL('./simulate-matrix.ts', import.meta.url));

/** Runs one set's matrix in a child process and saves its output; resolves when it ends. */
function runSet(options: Options, set: YardstickSet): Promise<void> {
  const env = { ...process.env, ...set.env, ...(options.span ? { SIM_SPAN: '1' } : {}) };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MATRIX, set.seeds], { env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      writeFileSync(outputPath(options, options.name, set), output);
      if (code === 0) done();
      else fail(new Error(`set ${set.name} exited with ${code}; see its output file`));
    });
  });
}

async function runAll(options: Options): Promise<void> {
  mkdirSync(options.out, { recursive: true });
  const queue = [...SETS];
  const worker = async (): Promise<void> => {
    for (let set = queue.shift(); set; set = queue.shift()) {
      const startedAt = Date.now();
      await runSet(options, set);
      console.error(`${set.name} done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    }
  };
  await Promise.all(Array.from({ length: options.jobs }, worker));
}

function readSummary(options: Options, name: string, set: YardstickSet): Summary | undefined {
  const path = outputPath(options, name, set);
  return existsSync(path) ? parseSummary(readFileSync(path, 'utf8')) : undefined;
}

function signed(value: number, digits = 0): string {
  const text = value.toFixed(digits);
  return value > 0 ? `+${text}` : text;
}

function report(options: Options): void {
  const scoring = options.span ? 'span' : 'default';
  console.log(
    `${options.name} (${scoring} scoring)${options.compare ? ` vs ${options.compare}` : ''}`,
  );
  console.log(
    'set     met/runs   beats   median    mean' + (options.compare ? '   | Δmet Δbeats Δmean' : ''),
  );
  for (const set of SETS) {
    const mine = readSummary(options, options.name, set);
    if (!mine) {
      console.log(
        `${set.name.padEnd(7)} (no summary: see ${outputPath(options, options.name, set)})`,
      );
      continue;
    }
    let line = `${set.name.padEnd(7)} ${`${mine.met}/${mine.runs}`.padStart(8)} ${String(mine.beats).padStart(7)} ${mine.median.toFixed(1).padStart(7)}% ${mine.mean.toFixed(1).padStart(6)}%`;
    const theirs = options.compare ? readSummary(options, options.compare, set) : undefined;
    if (theirs) {
      line += `   | ${signed(mine.met - theirs.met).padStart(4)} ${signed(mine.beats - theirs.beats).padStart(6)} ${signed(mine.mean - theirs.mean, 1).padStart(5)}`;
    } else if (options.compare) {
      line += '   | (nothing saved to compare)';
    }
    console.log(line);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  options.out = resolve(options.out);
  if (options.run) await runAll(options);
  report(options);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
