import { join } from 'node:path';
import type { RunSummary } from '../../contract/runs';
import type { SettledRow } from '../journal/journal-records';
import { JOURNAL_FILE } from '../journal/journal';
import { writeFileAtomicallySync } from '../../store/atomic-file';
import { settledRowsCsv } from './settled-rows-export';

/** File names inside a run folder. */
export const RUN_FILES = {
  meta: 'run.json',
  summary: 'summary.json',
  journal: JOURNAL_FILE,
  failedRows: 'failed-rows.csv',
  rejectedRows: 'rejected-rows.csv',
} as const;

/**
 * Writes a run file atomically, so a crash never leaves half a summary, through a random,
 * exclusively created temporary file: a symlink planted in a run folder cannot redirect it.
 */
export function writeFileAtomic(path: string, text: string): void {
  writeFileAtomicallySync(path, text);
}

/** Writes `summary.json` of a run. */
export function writeSummary(runDir: string, summary: RunSummary): void {
  writeFileAtomic(join(runDir, RUN_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
}

/** The row reports' CSV form, kept here for the run folder's other users. */
export { csvCell, settledRowsCsv } from './settled-rows-export';

/** Writes failed-rows.csv and rejected-rows.csv of a run from the journal's details. */
export function writeRowReports(
  runDir: string,
  failed: SettledRow[],
  rejected: SettledRow[],
): void {
  writeFileAtomic(join(runDir, RUN_FILES.failedRows), settledRowsCsv(failed));
  writeFileAtomic(join(runDir, RUN_FILES.rejectedRows), settledRowsCsv(rejected));
}
