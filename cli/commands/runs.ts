import type { Command } from 'commander';

/** `sluice runs`: lists the runs of a runs folder with their accounting. */
export function registerRunsCommand(program: Command): void {
  program
    .command('runs')
    .description('List upload runs (newest first) with their row accounting')
    .option('--run-dir <dir>', 'runs folder (default: <data folder>/runs)')
    .option('--json', 'print the summaries as JSON')
    // The run folder reader loads only when the command runs.
    .action(async (flags: { runDir?: string; json?: boolean }) =>
      (await import('./runs-actions')).listRuns(flags),
    );
}
