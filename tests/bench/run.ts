// `npm run bench [name…]`: runs every tests/bench/*.bench.ts (or the named ones) one after the
// other, each in its own process so they do not share a heap or a CPU, and writes their Markdown
// sections under one header naming the machine and the date to docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();

if (files.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ') || '(any)'} in ${benchDir}.`);
  process.exit(1);
}

// Each benchmark's latest section is kept in docs/bench/ so a partial run (`npm run bench
// csv`) refreshes its own section and keeps the others' last figures, each dated.
const resultsDir = path.resolve(benchDir, '../../docs/bench');
mkdirSync(resultsDir, { recursive: true });
let failures = 0;
for (const file of files) {
  console.error(`\n▶ ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) {
    const stamp = `_Measured ${new Date().toISOString()} by \`npm run bench\`._`;
    writeFileSync(path.join(resultsDir, `${file}.md`), `${result.stdout.trim()}\n\n${stamp}\n`);
    process.stdout.write(`${result.stdout.trim()}\n\n`);
  } else {
    failures += 1;
    console.error(`${file} failed with exit code ${result.status}; its previous figures are kept.`);
  }
}

const allBenchFiles = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();
const sections = allBenchFiles.map((file) => {
  const saved = path.join(resultsDir, `${file}.md`);
  return existsSync(saved)
    ? readFileSync(saved, 'utf8').trim()
    : `### ${file}\n\nNot measured yet.`;
});

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (tests/bench/run.ts); do not edit by hand. Figures are from one',
  'run on a shared, noisy machine: compare the columns of one table (same run, side by side),',
  'not absolute numbers across runs.',
  '',
  `- Written: ${new Date().toISOString()} (each section says when it was measured)`,
  `- Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}`,
  `- Node ${process.version}`,
  '',
].join('\n');

writeFileSync(
  path.resolve(benchDir, '../../docs/BENCHMARKS.md'),
  `${header}\n${sections.join('\n\n')}\n`,
);
console.error('\nWrote docs/BENCHMARKS.md');
process.exit(failures ? 1 : 0);
