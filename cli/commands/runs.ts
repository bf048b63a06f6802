import type { Command } from 'commander';

/**
 * `sluice runs`: lists the runs of a runs folder with their accounting; `runs export` writes
 * files; `runs remove` / `runs restore` take a run out of the history and bring it back.
 */
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

  const runDirOf = (flags: { runDir?: string }) =>
    flags.runDir ?? runs.opts<{ runDir?: string }>().runDir;

  runs
    .command('remove <run>')
    .description(
      'Remove a finished run from the history (its folder moves to the trash, deleted for good after a minute)',
    )
    .option('--yes', 'remove it; without this, only say what would be removed')
    .option('--run-dir <dir>', 'runs folder (default: <data folder>/runs)')
    .action(async (run: string, flags: { yes?: boolean; runDir?: string }) =>
      (await import('./runs-actions')).removeRun(run, { ...flags, runDir: runDirOf(flags) }),
    );

  runs
    .command('restore <run>')
    .description('Bring back a run removed moments ago (before it is deleted for good)')
    .option('--run-dir <dir>', 'runs folder (default: <data folder>/runs)')
    .action(async (run: string, flags: { runDir?: string }) =>
      (await import('./runs-actions')).restoreRun(run, { runDir: runDirOf(flags) }),
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
