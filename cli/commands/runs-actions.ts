import { RunManager } from '../../core/engine/run/run-manager';
import { runsFolder } from './upload';

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
