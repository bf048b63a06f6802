// `npm test`: lint, type-check, unit, integration, fidelity and end-to-end tests, in that order,
// every stage run even when an earlier one fails so one report shows everything. Integration
// tests run inside a private D-Bus session with an unlocked gnome-keyring
// (scripts/with-keyring.sh) so keytar talks to a real Secret Service. Ends with one line
// "N passed, N failed, N skipped".
//
// Strict by design, so a green run means every test ran:
// - test-results/ is emptied first, so a stage that dies before writing its report is a
//   failure, never counted from the previous run's file;
// - a stage that ran zero tests fails (tests/fidelity may be empty: it has no files yet);
// - a file that fails outside any test (import error, failing hook) counts as a failure;
// - a runner that exits non-zero while its report shows no failure counts one failure;
// - under CI, a skipped test fails unless scripts/allowed-skips.mjs lists it with its reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { allowedSkips } from './allowed-skips.mjs';
import { countPlaywrightReport, countVitestReport, isCi, judgeStage } from './test-report.mjs';

const root = process.cwd();
const ci = isCi(process.env);
rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });
const onLinux = process.platform === 'linux';
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];
const allowedSkipNotes = [];

function run(label, command, args, options = {}) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status === 0;
}

function failStage(label, why) {
  if (!failedStages.includes(label)) failedStages.push(label);
  if (why) process.stdout.write(`\n[${label}] ${why}\n`);
}

/** A check that is not a test runner (lint, tsc) counts as one test. */
function check(label, command, args) {
  if (run(label, command, args)) totals.passed += 1;
  else {
    totals.failed += 1;
    failStage(label);
  }
}

/** Adds one test runner's report to the totals; fails the stage for the reasons above. */
function countStage(label, exitedOk, reportFile, counter, { mayBeEmpty = false } = {}) {
  let report;
  try {
    report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined;
  } catch {
    report = undefined; // a half-written report counts as none
  }
  const verdict = judgeStage({
    exitedOk,
    report,
    counter,
    root,
    ci,
    allowList: allowedSkips,
    mayBeEmpty,
  });
  for (const note of verdict.notes) {
    if (note.startsWith('allowed skip: '))
      allowedSkipNotes.push(note.slice('allowed skip: '.length));
    else process.stdout.write(`[${label}] ${note}\n`);
  }
  if (verdict.problems.length) {
    failStage(label, verdict.problems.join('\n  '));
  }
  if (mayBeEmpty && verdict.passed + verdict.failed + verdict.skipped === 0) {
    process.stdout.write(`[${label}] no test files yet: nothing to run.\n`);
  }
  totals.passed += verdict.passed;
  totals.failed += verdict.failed;
  totals.skipped += verdict.skipped;
}

/** True when `folder` holds at least one file whose name ends with `suffix`. */
function hasFiles(folder, suffix) {
  if (!existsSync(folder)) return false;
  return readdirSync(folder, { recursive: true }).some((name) => String(name).endsWith(suffix));
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

for (const project of ['unit', 'integration', 'fidelity']) {
  const label = `${project} tests (vitest)`;
  const report = `test-results/vitest-${project}.json`;
  const mayBeEmpty =
    project === 'fidelity' && !hasFiles(path.join('tests', 'fidelity'), '.test.ts');
  const vitest = [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${report}`,
    ...(mayBeEmpty ? ['--passWithNoTests'] : []),
  ];
  const [command, args] =
    project === 'integration' && onLinux
      ? ['scripts/with-keyring.sh', ['npx', ...vitest]]
      : ['npx', vitest];
  const ok = run(label, command, args);
  countStage(label, ok, report, countVitestReport, { mayBeEmpty });
}

const buildLabel = 'build (renderer and electron bundles)';
if (run(buildLabel, 'npm', ['run', 'build', '--silent'])) {
  const label = 'end-to-end tests (playwright, Chromium)';
  const report = 'test-results/playwright.json';
  const ok = run(label, 'npx', ['playwright', 'test', '--reporter=list,json'], {
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  countStage(label, ok, report, countPlaywrightReport);
} else {
  totals.failed += 1;
  failStage(buildLabel);
}

if (allowedSkipNotes.length) {
  process.stdout.write(`\nAllowed skips:\n${allowedSkipNotes.map((n) => `  ${n}`).join('\n')}\n`);
}
process.stdout.write(
  `\n${failedStages.length ? `Failed stages: ${failedStages.join(', ')}` : 'All stages passed.'}${ci ? ' (CI: strict skips)' : ''}\n`,
);
process.stdout.write(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(failedStages.length ? 1 : 0);
