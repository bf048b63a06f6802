import type { Command } from 'commander';
import { RunManager } from '../../core/engine/run/run-manager';
import { runsFolder } from './upload';

/** `sluice runs`: lists the runs of a runs folder with their accounting. */
export function registerRunsCommand(program: Command): void {
  program
    .command('runs')
    .description('List upload runs (newest first) with their row accounting')
    .option('--run-dir <dir>', 'runs folder (default: <data folder>/runs)')
    .option('--json', 'print the summaries as JSON')
    .action((flags: { runDir?: string; json?: boolean }) => {
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
    });
}
