import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RunManager } from '../../core/engine/run/run-manager';
import { exportRunReconciliation } from '../../core/engine/run/reconciliation';
import { runsFolder } from './upload';

/** `sluice runs`: lists the runs of a runs folder with their accounting; `runs export` writes files. */
export function registerRunsCommand(program: Command): void {
  const runs = program
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

  runs
    .command('export <run>')
    .description(
      'Write a run’s reconciliation: one row per source row with its CRM id, Genesys contact id, outcome and reason (.csv or .xlsx)',
    )
    .requiredOption('--reconciliation <file>', 'the file to write (.xlsx for a workbook)')
    .option('--overwrite', 'replace the file if it exists')
    .option('--run-dir <dir>', 'runs folder (default: <data folder>/runs)')
    .option('--json', 'print one JSON line with what was written')
    .action(
      async (
        run: string,
        flags: { reconciliation: string; overwrite?: boolean; runDir?: string; json?: boolean },
      ) => {
        const path = resolve(flags.reconciliation);
        if (!flags.overwrite && existsSync(path)) {
          throw new Error(`${path} already exists: add --overwrite, or choose another name.`);
        }
        const manager = new RunManager(
          runsFolder(flags.runDir ?? runs.opts<{ runDir?: string }>().runDir),
        );
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
          `Wrote ${written.rows} rows to ${path} (${counts || 'no rows'}).\nContact ids: ${written.idFrom}.\n`,
        );
      },
    );
}
