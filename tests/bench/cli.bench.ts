// Start-up cost of the `sluice` command: `sluice --help` from the bundle (bin/sluice.js →
// dist/cli/sluice.js, what users run) beside a bare `node -e 0` and beside the TypeScript
// sources loaded through tsx (how the CLI ran before it was bundled). Runs are interleaved so
// load on the machine hits every column alike; each figure is the median of the runs.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = 9;

// Each child reports its own CPU time and peak memory as it exits (process.resourceUsage).
const REPORT_AT_EXIT = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\n@usage '+JSON.stringify(process.resourceUsage())+'\\n'))`;

const commands: { label: string; args: string[] }[] = [
  { label: '`node -e 0`', args: ['-e', '0'] },
  { label: '`sluice --help` (bundle)', args: ['bin/sluice.js', '--help'] },
  {
    label: '`sluice --help` (TypeScript through tsx)',
    args: [
      '--import',
      'tsx',
      '-e',
      "import('./cli/index.ts').then(async (cli) => { process.exitCode = await cli.main(['node', 'sluice', '--help']); })",
    ],
  },
];

interface Sample {
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
}

function measure(args: string[]): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', REPORT_AT_EXIT, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  const line = /@usage (\{.*\})/.exec(result.stderr)?.[1];
  if (!line) throw new Error(`no usage report from ${args.join(' ')}`);
  const usage = JSON.parse(line) as { userCPUTime: number; systemCPUTime: number; maxRSS: number };
  return {
    wallMs,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssMiB: usage.maxRSS / 1024,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

execFileSync(process.execPath, ['scripts/build-cli.mjs', '--quiet'], { cwd: root });
const samples = commands.map(() => [] as Sample[]);
for (let run = 0; run < RUNS; run += 1) {
  commands.forEach((command, index) => samples[index]?.push(measure(command.args)));
}

const baseline = median((samples[0] ?? []).map((sample) => sample.wallMs));
const rows = commands.map((command, index) => {
  const own = samples[index] ?? [];
  const wall = median(own.map((sample) => sample.wallMs));
  const cpu = median(own.map((sample) => sample.cpuMs));
  const rss = median(own.map((sample) => sample.maxRssMiB));
  return `| ${command.label} | ${wall.toFixed(0)} | ${(wall / baseline).toFixed(1)}× | ${cpu.toFixed(0)} | ${rss.toFixed(0)} |`;
});

process.stdout.write(
  [
    '### cli.bench.ts: start-up of the `sluice` command',
    '',
    `Median of ${RUNS} interleaved runs each. Target: \`sluice --help\` under about 0.3 s wall.`,
    '',
    '| command | wall ms | × `node -e 0` | CPU ms | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n'),
);
