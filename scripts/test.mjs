// `npm test`: lint, type-check, unit, integration and end-to-end tests, in that order, every
// stage run even when an earlier one fails so one report shows everything. Integration tests
// run inside a private D-Bus session with an unlocked gnome-keyring (scripts/with-keyring.sh)
// so keytar talks to a real Secret Service. Ends with one line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const onLinux = process.platform === 'linux';
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];

function run(label, command, args, options = {}) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  const ok = result.status === 0;
  if (!ok) failedStages.push(label);
  return ok;
}

/** A check that is not a test runner (lint, tsc) counts as one test. */
function check(label, command, args) {
  if (run(label, command, args)) totals.passed += 1;
  else totals.failed += 1;
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
  return true;
}

check('lint (eslint)', 'npx', ['eslint', '.', '--max-warnings=0']);
check('format (prettier)', 'npx', ['prettier', '--check', '.']);
check('typecheck (core, renderer, host, cli, tests)', 'npx', [
  'tsc',
  '-p',
  'tsconfig.json',
  '--noEmit',
]);
check('typecheck (electron, against the real Electron types)', 'npx', [
  'tsc',
  '-p',
  'electron/tsconfig.json',
  '--noEmit',
]);

for (const project of ['unit', 'integration']) {
  const report = `test-results/vitest-${project}.json`;
  const vitest = [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${report}`,
  ];
  const [command, args] =
    project === 'integration' && onLinux
      ? ['scripts/with-keyring.sh', ['npx', ...vitest]]
      : ['npx', vitest];
  const ok = run(`${project} tests (vitest)`, command, args);
  if (!countVitest(report) && !ok) totals.failed += 1;
}

if (run('build (renderer and electron bundles)', 'npm', ['run', 'build', '--silent'])) {
  const ok = run(
    'end-to-end tests (playwright, Chromium)',
    'npx',
    ['playwright', 'test', '--reporter=list,json'],
    {
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json' },
    },
  );
  if (!countPlaywright('test-results/playwright.json') && !ok) totals.failed += 1;
} else {
  totals.failed += 1;
}

process.stdout.write(
  `\n${failedStages.length ? `Failed stages: ${failedStages.join(', ')}` : 'All stages passed.'}\n`,
);
process.stdout.write(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(failedStages.length ? 1 : 0);
