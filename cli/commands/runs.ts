import type { Command } from 'commander';

/** `sluice runs`: lists the runs of a runs folder with their accounting; `runs export` writes files. */
export function registerRunsCommand(program: Command): void {
  const runs = program
    .command('runs')
    .description('List upload runs (newest first) with their row accounting')
    .option('--run-dir <dir>', 'runs folder (default: <data folder>/runs)')
    .option('--json', 'print the summaries as JSON')
    // The run folder reader loads only when the command runs.
    .action(async (flags: { runDir?: string; json?: boolean }) =>
      (await import('./runs-actions')).listRuns(flags),
    );

  runs
    .command('export <run>')
    .description(
      'Write a run’s reconciliation: one row per source row with its CRM id, Genesys contact id, outcome and reason (.csv or .xlsx)',
    )
    .requiredOption('--reconciliation <file>', 'the file to write (.xlsx for a workbook)')
    .option('--overwrite', 'replace the file if it exists')
    .option('--run-dir <dir>', 'runs folder (default: <data folder>/runs)')
    .option('--json', 'print one JSON line with what was written')
    // The reconciliation writer (and exceljs) loads only when the command runs.
    .action(
      async (
        run: string,
        flags: { reconciliation: string; overwrite?: boolean; runDir?: string; json?: boolean },
      ) =>
        (await import('./runs-actions')).exportReconciliation(run, {
          ...flags,
          runDir: flags.runDir ?? runs.opts<{ runDir?: string }>().runDir,
        }),
    );
}
