import { Command, CommanderError } from 'commander';
import { registerSandboxCommand } from './commands/sandbox';
import { registerPrepareCommand } from './commands/prepare';
import { registerOrgsCommand } from './commands/orgs';
import { registerUploadCommand } from './commands/upload';
import { registerRunsCommand } from './commands/runs';
import { cliLog, closeCliLog, openCliLog } from './cli-log';

// Imported (not read at run time) so the bundle in dist/cli carries the version with it.
import packageJson from '../package.json' with { type: 'json' };

/**
 * Builds the `sluice` command. Each subcommand lives in `cli/commands/<name>.ts` and exports a
 * `register<Name>Command(program)` function, added to the list below.
 */
export function buildProgram(): Command {
  const program = new Command('sluice')
    .description(
      'Load CSV contacts into Genesys Cloud Outbound contact lists, throttled and loss-free.',
    )
    .version(packageJson.version)
    .option(
      '--verbose',
      'also print the log lines (JSON) on stderr; the log file is <data folder>/logs',
    )
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', async (_program, action) => {
      await openCliLog(action.name(), program.opts<{ verbose?: boolean }>().verbose === true);
    });
  registerSandboxCommand(program);
  registerPrepareCommand(program);
  registerOrgsCommand(program);
  registerUploadCommand(program);
  registerRunsCommand(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code (0 ok, 3 finished with rejected rows, 1 error). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    const message = error instanceof Error ? error.message : String(error);
    cliLog()?.log.logger.error({ err: error }, message);
    process.stderr.write(`sluice: ${message}\n`);
    return 1;
  } finally {
    await closeCliLog();
  }
}
