import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedSkips } from '../../../scripts/allowed-skips.mjs';
import {
  countPlaywrightReport,
  countVitestReport,
  isCi,
  judgeStage,
  sortSkips,
} from '../../../scripts/test-report.mjs';

// The reports below have the shapes vitest 4 and Playwright 1.65 write with --reporter=json
// (trimmed to the fields the counter reads).
const root = '/repo';

describe('countVitestReport', () => {
  it('counts tests, and a file that failed outside any test (import or hook error) as one failure', () => {
    const report = {
      testResults: [
        {
          name: '/repo/tests/unit/a.test.ts',
          status: 'failed',
          message: '',
          assertionResults: [
            { fullName: 'a passes', status: 'passed' },
            { fullName: 'a fails', status: 'failed' },
            { fullName: 'a skipped', status: 'skipped' },
            { fullName: 'a todo', status: 'todo' },
          ],
        },
        {
          // beforeAll threw: vitest marks the file failed and its tests only skipped.
          name: '/repo/tests/unit/hook.test.ts',
          status: 'failed',
          message: '',
          assertionResults: [{ fullName: 'outer a', status: 'skipped' }],
        },
        {
          name: '/repo/tests/unit/import.test.ts',
          status: 'failed',
          message: 'import boom\n  at somewhere',
          assertionResults: [],
        },
      ],
    };
    const counts = countVitestReport(report, root);
    expect(counts).toMatchObject({ passed: 1, failed: 3, skipped: 3 });
    expect(counts.errors).toEqual([
      'tests/unit/hook.test.ts: failed outside any test (an import or hook error)',
      'tests/unit/import.test.ts: import boom',
    ]);
    expect(counts.skips).toEqual([
      { file: 'tests/unit/a.test.ts', title: 'a skipped' },
      { file: 'tests/unit/a.test.ts', title: 'a todo' },
      { file: 'tests/unit/hook.test.ts', title: 'outer a' },
    ]);
  });

  it('reads an empty report as zero tests (the caller fails a stage that ran none)', () => {
    expect(countVitestReport({ testResults: [] }, root)).toMatchObject({
      passed: 0,
      failed: 0,
      skipped: 0,
    });
  });
});

describe('countPlaywrightReport', () => {
  it('counts nested specs, names skips by repository path and title, and counts global errors', () => {
    const report = {
      config: { rootDir: path.join(root, 'tests/e2e') },
      suites: [
        {
          title: 'upload.spec.ts',
          file: 'upload.spec.ts',
          specs: [{ title: 'uploads', file: 'upload.spec.ts', tests: [{ status: 'expected' }] }],
          suites: [
            {
              title: 'group',
              file: 'upload.spec.ts',
              specs: [
                { title: 'flaky', file: 'upload.spec.ts', tests: [{ status: 'flaky' }] },
                { title: 'broken', file: 'upload.spec.ts', tests: [{ status: 'unexpected' }] },
                { title: 'skipped', file: 'upload.spec.ts', tests: [{ status: 'skipped' }] },
              ],
            },
          ],
        },
      ],
      errors: [{ message: 'Error: no such module\nstack' }],
    };
    const counts = countPlaywrightReport(report, root);
    expect(counts).toMatchObject({ passed: 2, failed: 2, skipped: 1 });
    expect(counts.skips).toEqual([{ file: 'tests/e2e/upload.spec.ts', title: 'group › skipped' }]);
    expect(counts.errors).toEqual(['Error: no such module']);
  });
});

describe('sortSkips with the real allow-list', () => {
  it('allows the Electron smoke test and live-org fidelity tests, and nothing else', () => {
    const { allowed, unexpected } = sortSkips(
      [
        {
          file: 'tests/e2e/electron.spec.ts',
          title: 'Electron smoke: the sandboxed window shows the app and talks to the services',
        },
        { file: 'tests/fidelity/limits.test.ts', title: 'live org only: limits namespaces' },
        { file: 'tests/integration/keychain.test.ts', title: 'keytar secret store stores' },
        { file: 'tests/e2e/upload.spec.ts', title: 'Electron smoke copied elsewhere' },
        { file: 'tests/fidelity/limits.test.ts', title: 'delivery of contacts' },
      ],
      allowedSkips,
    );
    expect(allowed.map((skip) => skip.file)).toEqual([
      'tests/e2e/electron.spec.ts',
      'tests/fidelity/limits.test.ts',
    ]);
    expect(allowed.every((skip) => skip.reason.length > 20)).toBe(true);
    expect(unexpected.map((skip) => skip.title)).toEqual([
      'keytar secret store stores',
      'Electron smoke copied elsewhere',
      'delivery of contacts',
    ]);
  });
});

describe('isCi', () => {
  it('treats any value but empty, 0 and false as CI', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
  });
});

describe('judgeStage: what fails a stage of npm test', () => {
  const vitestReport = (statuses: string[]) => ({
    testResults: [
      {
        name: '/repo/tests/integration/keychain.test.ts',
        status: statuses.includes('failed') ? 'failed' : 'passed',
        message: '',
        assertionResults: statuses.map((status, index) => ({ fullName: `t${index}`, status })),
      },
    ],
  });
  const stage = (overrides: Partial<Parameters<typeof judgeStage>[0]>) =>
    judgeStage({
      exitedOk: true,
      report: vitestReport(['passed']),
      counter: countVitestReport,
      root,
      ci: true,
      allowList: allowedSkips,
      ...overrides,
    });

  it('passes a clean report', () => {
    expect(stage({})).toMatchObject({ passed: 1, failed: 0, skipped: 0, problems: [] });
  });

  it('fails when the report is missing (test-results/ is cleared first, so never a stale one)', () => {
    expect(stage({ exitedOk: false, report: undefined })).toMatchObject({
      failed: 1,
      problems: ['no report: the runner died before writing it'],
    });
  });

  it('fails a stage that ran zero tests, unless it may be empty (a folder with no test files)', () => {
    expect(stage({ report: { testResults: [] } })).toMatchObject({
      failed: 1,
      problems: ['ran zero tests'],
    });
    expect(stage({ report: { testResults: [] }, mayBeEmpty: true })).toMatchObject({
      failed: 0,
      problems: [],
    });
  });

  it('under CI, counts a skip that is not on the allow-list as a failure', () => {
    const verdict = stage({ report: vitestReport(['passed', 'skipped']) });
    expect(verdict).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    expect(verdict.problems).toEqual([
      'skipped under CI, not in scripts/allowed-skips.mjs: tests/integration/keychain.test.ts › t1',
    ]);
  });

  it('outside CI, a skip is only a note', () => {
    const verdict = stage({ ci: false, report: vitestReport(['passed', 'skipped']) });
    expect(verdict).toMatchObject({ passed: 1, failed: 0, skipped: 1, problems: [] });
    expect(verdict.notes).toHaveLength(1);
  });

  it('fails a runner that exited non-zero while its report shows no failure', () => {
    expect(stage({ exitedOk: false })).toMatchObject({ passed: 1, failed: 1 });
  });

  it('fails on failed tests without adding a second failure for the exit code', () => {
    expect(stage({ exitedOk: false, report: vitestReport(['passed', 'failed']) })).toMatchObject({
      passed: 1,
      failed: 1,
      problems: ['1 failed'],
    });
  });
});
