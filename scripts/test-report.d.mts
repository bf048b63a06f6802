/** A test a runner reported as skipped (or todo), with its repository-relative file. */
export interface SkippedTest {
  file: string;
  title: string;
}

/** What one stage's report says. `errors` are failures outside any test (import, hook). */
export interface StageCounts {
  passed: number;
  failed: number;
  skipped: number;
  skips: SkippedTest[];
  errors: string[];
}

/** One allowed skip: both patterns must match, and the reason is printed with every run. */
export interface AllowedSkip {
  file: RegExp;
  title: RegExp;
  reason: string;
}

export function countVitestReport(report: unknown, root: string): StageCounts;
export function countPlaywrightReport(report: unknown, root: string): StageCounts;
export function sortSkips(
  skips: SkippedTest[],
  allowList: ReadonlyArray<AllowedSkip>,
): { allowed: Array<SkippedTest & { reason: string }>; unexpected: SkippedTest[] };
export function isCi(env: Record<string, string | undefined>): boolean;

/** What one stage adds to the totals, why it failed (empty when it passed), and what to print. */
export interface StageVerdict {
  passed: number;
  failed: number;
  skipped: number;
  problems: string[];
  notes: string[];
}

export function judgeStage(stage: {
  exitedOk: boolean;
  report: unknown;
  counter: (report: unknown, root: string) => StageCounts;
  root: string;
  ci: boolean;
  allowList: ReadonlyArray<AllowedSkip>;
  mayBeEmpty?: boolean;
}): StageVerdict;
