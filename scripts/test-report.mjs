// Reads the JSON reports of vitest and Playwright into one shape for scripts/test.mjs, and
// decides which skips are allowed under CI. Plain JavaScript so `npm test` needs no build step;
// types in test-report.d.mts; tested in tests/unit/scripts/test-report.test.ts.
import path from 'node:path';

/**
 * Counts of one vitest JSON report (`--reporter=json`). A file that failed with no failed test
 * in it (an import error, a failing beforeAll/afterAll hook) counts as one failure: vitest marks
 * the file failed but its tests only skipped, so counting tests alone would hide it.
 * `root` makes file paths repository-relative.
 */
export function countVitestReport(report, root) {
  const counts = emptyCounts();
  for (const file of report.testResults ?? []) {
    const relative = relativePath(root, file.name);
    let failedInFile = 0;
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'passed') counts.passed += 1;
      else if (test.status === 'failed') {
        counts.failed += 1;
        failedInFile += 1;
      } else {
        counts.skipped += 1;
        counts.skips.push({ file: relative, title: test.fullName ?? test.title ?? '' });
      }
    }
    if (file.status === 'failed' && failedInFile === 0) {
      counts.failed += 1;
      counts.errors.push(
        `${relative}: ${firstLine(file.message) || 'failed outside any test (an import or hook error)'}`,
      );
    }
  }
  return counts;
}

/**
 * Counts of one Playwright JSON report (`--reporter=json`). Errors outside any test (a spec
 * that does not load, a global setup failure) count as one failure each.
 */
export function countPlaywrightReport(report, root) {
  const counts = emptyCounts();
  const testDir = report.config?.rootDir ?? root;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      const file = relativePath(root, path.resolve(testDir, spec.file ?? suite.file ?? ''));
      const title = [...titles, spec.title].join(' › ');
      for (const test of spec.tests ?? []) {
        if (test.status === 'expected' || test.status === 'flaky') counts.passed += 1;
        else if (test.status === 'unexpected') counts.failed += 1;
        else {
          counts.skipped += 1;
          counts.skips.push({ file, title });
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  // The top-level suites are files: their title is the file name, not part of a test's title.
  for (const fileSuite of report.suites ?? []) walk(fileSuite, []);
  for (const error of report.errors ?? []) {
    counts.failed += 1;
    counts.errors.push(firstLine(error.message) || 'an error outside any test');
  }
  return counts;
}

/**
 * Splits skips into those on the allow-list (with its reason) and the rest, which fail the run
 * under CI.
 */
export function sortSkips(skips, allowList) {
  const allowed = [];
  const unexpected = [];
  for (const skip of skips) {
    const entry = allowList.find(
      (item) => item.file.test(skip.file) && item.title.test(skip.title),
    );
    if (entry) allowed.push({ ...skip, reason: entry.reason });
    else unexpected.push(skip);
  }
  return { allowed, unexpected };
}

/**
 * Judges one test runner's stage: `report` is its parsed JSON report (undefined when the file is
 * missing: the runner died before writing it, and test-results/ was emptied first so an old
 * report cannot stand in), `counter` reads it. Returns the counts to add to the totals and the
 * problems that fail the stage: failed tests, errors outside tests, a non-zero exit the report
 * does not explain, zero tests (unless `mayBeEmpty`), and under `ci` any skip not on `allowList`
 * (counted as failed). `notes` are printed without failing (allowed skips, skips outside CI).
 */
export function judgeStage({ exitedOk, report, counter, root, ci, allowList, mayBeEmpty = false }) {
  const problems = [];
  const notes = [];
  if (report === undefined) {
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      problems: ['no report: the runner died before writing it'],
      notes,
    };
  }
  const counts = counter(report, root);
  let { passed, failed, skipped } = counts;
  for (const error of counts.errors) problems.push(`error outside any test: ${error}`);
  if (counts.failed > 0) problems.push(`${counts.failed} failed`);
  const { allowed, unexpected } = sortSkips(counts.skips, allowList);
  for (const skip of allowed)
    notes.push(`allowed skip: ${skip.file} › ${skip.title}: ${skip.reason}`);
  for (const skip of unexpected) {
    if (ci)
      problems.push(
        `skipped under CI, not in scripts/allowed-skips.mjs: ${skip.file} › ${skip.title}`,
      );
    else notes.push(`skipped (a failure under CI): ${skip.file} › ${skip.title}`);
  }
  if (ci && unexpected.length) {
    // Under CI an unexplained skip is a test that did not run: count it as failed.
    skipped -= unexpected.length;
    failed += unexpected.length;
  }
  if (!exitedOk && failed === 0) {
    failed += 1;
    problems.push('the runner exited with an error its report does not show (see its output)');
  }
  if (passed + failed + skipped === 0 && !mayBeEmpty) {
    failed += 1;
    problems.push('ran zero tests');
  }
  return { passed, failed, skipped, problems, notes };
}

/** True when the CI variable is set to anything but an explicit "false"/"0"/"". */
export function isCi(env) {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

function emptyCounts() {
  return { passed: 0, failed: 0, skipped: 0, skips: [], errors: [] };
}

function relativePath(root, file) {
  return path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
}

function firstLine(text) {
  return String(text ?? '')
    .split('\n')[0]
    .trim();
}
