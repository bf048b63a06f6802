import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportRunReconciliation } from '../../core/engine/run/reconciliation';
import { RunManager } from '../../core/engine/run/run-manager';
import { RUN_ID_PATTERN } from '../../core/contract/runs';
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
      `${s.runId}  ${s.state.padEnd(9)} ${s.orgName} / ${s.contactListId}  read ${s.rowsRead}, uploaded ${s.uploaded}, rejected ${s.rejected}, failed ${s.failed}${notSentNote(s.notSent)}, skipped ${s.skipped}\n`,
    );
  }
}

/**
 * Of a cancelled run's failed rows, those never sent, which `sluice resume` sends
 * (docs/ARCHITECTURE.md, "Cancel and the rest of the file").
 */
function notSentNote(notSent: number | undefined): string {
  return notSent ? ` (${notSent} never sent: sluice resume sends them)` : '';
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

/**
 * `sluice runs remove RUN --yes`: moves a run's folder (journal, run.json, exports) to the runs
 * folder's trash, like History's "Remove from history…". Without --yes it only says what would
 * go (exit 1). A run a live process holds is refused; a paused run can be removed, and the
 * message says its unsent rows can then no longer be resumed.
 */
export function removeRun(run: string, flags: { yes?: boolean; runDir?: string }): void {
  const runId = runIdOf(run);
  const manager = new RunManager(runsFolder(flags.runDir));
  const summary = manager.readSummary(runId);
  if (!summary)
    throw new Error(`No run ${runId} in ${manager.runsDir}. List runs with: sluice runs`);
  if (summary.state === 'running' || summary.state === 'pausing') {
    throw new Error(`Run ${runId} is still ${summary.state}: pause or cancel it first.`);
  }
  const meta = manager.folder(runId).metaOrUndefined();
  const what = [
    `Run ${runId} (${summary.state}, started ${summary.startedAt})`,
    `  file ${meta?.csvPath ?? 'unknown'} → ${meta?.contactListName ?? summary.contactListId} on ${summary.orgName}`,
    `  read ${summary.rowsRead}, uploaded ${summary.uploaded}, rejected ${summary.rejected}, failed ${summary.failed}, skipped ${summary.skipped}`,
    ...(summary.state === 'paused'
      ? [
          '  It is paused: once removed it cannot be resumed, and its rows not yet sent are not sent.',
        ]
      : []),
    '  Contacts already uploaded stay in the contact list.',
  ].join('\n');
  if (!flags.yes) {
    process.stdout.write(`${what}\nNothing removed: add --yes to remove it from the history.\n`);
    process.exitCode = 1;
    return;
  }
  manager.trash.purge();
  manager.trash.remove(manager.folder(runId), runId);
  process.stdout.write(
    `${what}\nRemoved from the history. Bring it back within a minute with: sluice runs restore ${runId}\n`,
  );
}

/** `sluice runs restore RUN`: brings back a run removed moments ago. */
export function restoreRun(run: string, flags: { runDir?: string }): void {
  const runId = runIdOf(run);
  const manager = new RunManager(runsFolder(flags.runDir));
  manager.trash.restore(manager.runsDir, runId);
  process.stdout.write(`Run ${runId} is back in the history.\n`);
}

/** Only a run id names a run to remove or restore: a path could reach another folder. */
function runIdOf(run: string): string {
  if (!RUN_ID_PATTERN.test(run)) {
    throw new Error(`"${run}" is not a run id such as 20260131-142501-a3f9 (see: sluice runs).`);
  }
  return run;
}
