import { join } from 'node:path';
import { rowsNotRead, type RunSummary } from '../../core/contract/runs';
import { countOf } from '../../core/text/count';

/** The run's summary as `sluice upload`, `resume` and `retry` print it when they end. */
export function runSummaryText(summary: RunSummary, fileRows?: number): string {
  const lines = [
    `Run ${summary.runId}: ${summary.state}`,
    `  rows read ${summary.rowsRead} = uploaded ${summary.uploaded} + rejected ${summary.rejected} + failed ${summary.failed} + skipped ${summary.skipped}${summary.invariant.holds ? '' : '  (ACCOUNTING MISMATCH: ' + summary.invariant.problems.join('; ') + ')'}`,
  ];
  const notRead = rowsNotRead(summary, fileRows);
  if (notRead !== undefined) {
    // A contacts run continues from its journal: rows it settled are never sent again
    // (docs/ARCHITECTURE.md, "Why the journal survives a crash"). A bulk import's own way to
    // continue is not one this build has checked, so it only gives the count.
    lines.push(
      `  ${countOf(notRead, 'row')} of the file not read${
        summary.strategy === 'import'
          ? ' (the run was cancelled before it reached them)'
          : ` (send only those: sluice resume ${summary.runDir})`
      }`,
    );
  }
  lines.push(
    `  ${countOf(summary.requests, 'request')}, ${summary.throttled} throttled (429), ${countOf(summary.retries, 'retry', 'retries')}, ${summary.contactsPerSecond.toFixed(1)} contacts/s`,
    `  reports: ${summary.runDir}`,
  );
  if (summary.rejected > 0)
    lines.push(`  rejected rows and reasons: ${join(summary.runDir, 'rejected-rows.csv')}`);
  if (summary.failed > 0)
    lines.push(
      `  failed rows: ${join(summary.runDir, 'failed-rows.csv')} (send again: sluice retry ${summary.runDir})`,
    );
  return `${lines.join('\n')}\n`;
}
