import type { AllowedSkip } from './test-report.mjs';

export const allowedSkips: ReadonlyArray<AllowedSkip>;
