import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportRunReconciliation } from '../../core/engine/run/reconciliation';
import { RunManager } from '../../core/engine/run/run-manager';
import { runsFolder } from './upload';
import { countOf } from '../../core/text/count';

/** `sluice runs`: one line (or one JSON array) with every run's state and accounting. */
export function listRuns(flags: { runDir?: string; json?: boolean }): void {
  const summaries = new RunManager(runsFolder(flags.runDir)).list();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(summaries)}\n`);
    return;
  }
  if (summaries.length === 0) {
    process.stdout.write('No runs yet.\n');
    return;
  }
  for (const s of summaries) {
    process.stdout.write(
      `${s.runId}  ${s.state.padEnd(9)} ${s.orgName} / ${s.contactListId}  read ${s.rowsRead}, uploaded ${s.uploaded}, rejected ${s.rejected}, failed ${s.failed}, skipped ${s.skipped}\n`,
    );
  }
}

/** `sluice runs export RUN --reconciliation FILE`: one row per source row, .csv or .xlsx. */
export async function exportReconciliation(
  run: string,
  flags: { reconciliation: string; overwrite?: boolean; runDir?: string; json?: boolean },
): Promise<void> {
  const path = resolve(flags.reconciliation);
  if (!flags.overwrite && existsSync(path)) {
    throw new Error(`${path} already exists: add --overwrite, or choose another name.`);
  }
  const manager = new RunManager(runsFolder(flags.runDir));
  const written = await exportRunReconciliation(manager.folder(run), path);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(written)}\n`);
    return;
  }
  const counts = Object.entries(written.byOutcome)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  process.stdout.write(
    `Wrote ${countOf(written.rows, 'row')} to ${path} (${counts || 'no rows'}).\nContact ids: ${written.idFrom}.\n`,
  );
}
