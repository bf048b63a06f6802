import { join } from 'node:path';
import { runRest, type RunSummary } from '../../core/contract/runs';
import { countOf } from '../../core/text/count';
import { runRestText } from '../../core/text/run-rest-text';

/** The run's summary as `sluice upload`, `resume` and `retry` print it when they end. */
export function runSummaryText(summary: RunSummary, fileRows?: number): string {
  const lines = [
    `Run ${summary.runId}: ${summary.state}`,
    `  rows read ${summary.rowsRead} = uploaded ${summary.uploaded} + rejected ${summary.rejected} + failed ${summary.failed} + skipped ${summary.skipped}${summary.invariant.holds ? '' : '  (ACCOUNTING MISMATCH: ' + summary.invariant.problems.join('; ') + ')'}`,
  ];
  const rest = runRest(summary, fileRows);
  if (rest) {
    // A resume sends the rows the cancel never sent and the rows never read, once each
    // (docs/ARCHITECTURE.md, "Cancel and the rest of the file").
    const text = runRestText(rest, `for \`sluice retry ${summary.runDir}\``);
    lines.push(
      `  ${text.head}${text.detail ? `: ${text.detail}` : ''} (send them: sluice resume ${summary.runDir})`,
    );
    if (text.leftFailed) lines.push(`  ${text.leftFailed}`);
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
