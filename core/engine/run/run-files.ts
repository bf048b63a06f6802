import { join } from 'node:path';
import type { RunSummary } from '../../contract/runs';
import type { SettledRow } from '../journal/journal-records';
import { JOURNAL_FILE } from '../journal/journal';
import { formatCell, neutraliseFormula } from '../../csv/csv-writer';
import { writeFileAtomicallySync } from '../../store/atomic-file';

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

/**
 * One CSV cell for a report a consultant opens in a spreadsheet: formula-injection-safe
 * (docs/ARCHITECTURE.md, Row reports: a cell that begins with `= + - @ \t \r` gets a
 * leading `'`) and quoted when
 * needed, with the CSV pipeline's own rules so every file Sluice writes quotes alike.
 */
export function csvCell(value: string | number | undefined): string {
  return formatCell(neutraliseFormula(value === undefined ? '' : String(value)));
}

/**
 * The rows a consultant fixes and retries: reason columns first, then every data column seen.
 * Returns the CSV text (header line included, CRLF line ends for spreadsheet tools).
 */
export function settledRowsCsv(rows: readonly SettledRow[]): string {
  const dataColumns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column of Object.keys(row.data ?? {})) {
      if (!seen.has(column)) {
        seen.add(column);
        dataColumns.push(column);
      }
    }
  }
  const header = ['row', 'contactId', 'reason', 'status', 'code', 'correlationId', ...dataColumns];
  const lines = [header.map(csvCell).join(',')];
  for (const row of [...rows].sort((a, b) => a.row - b.row)) {
    const cells = [row.row, row.contactId, row.reason, row.status, row.code, row.correlationId];
    for (const column of dataColumns) cells.push(row.data?.[column]);
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Writes failed-rows.csv and rejected-rows.csv of a run from the journal's details. */
export function writeRowReports(
  runDir: string,
  failed: SettledRow[],
  rejected: SettledRow[],
): void {
  writeFileAtomic(join(runDir, RUN_FILES.failedRows), settledRowsCsv(failed));
  writeFileAtomic(join(runDir, RUN_FILES.rejectedRows), settledRowsCsv(rejected));
}
