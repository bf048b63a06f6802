import { Command, CommanderError } from 'commander';
import { registerSandboxCommand } from './commands/sandbox';
import { PREPARE_COMMANDS } from './commands/prepare-command';
import { registerOrgsCommand } from './commands/orgs';
import { UPLOAD_COMMANDS } from './commands/upload-command';
import { registerRunsCommand } from './commands/runs';
import { addLazyCommand } from './lazy-command';
import { cliLog, closeCliLog, openCliLog } from './cli-log';

// Imported (not read at run time) so the bundle in dist/cli carries the version with it.
import packageJson from '../package.json' with { type: 'json' };

/** The `sluice` root: name, version and the options every command takes; no subcommands. */
function rootCommand(): Command {
  return new Command('sluice')
    .description(
      'Load CSV contacts into Genesys Cloud Outbound contact lists, throttled and loss-free.',
    )
    .version(packageJson.version)
    .option(
      '--verbose',
      'also print the log lines (JSON) on stderr; the log file is <data folder>/logs',
    )
    .showHelpAfterError()
    .exitOverride();
}

/**
 * Builds the `sluice` command for the command line `argv`. Each subcommand lives in
 * `cli/commands/`: a registration that declares its options and imports its implementation
 * only when it runs, so `sluice --help` loads commander and little else (docs/BENCHMARKS.md).
 * `prepare` and `upload`/`resume`/`retry` are declared in full by modules that import the CSV
 * pipeline and the engine at load; they are listed by stand-ins (cli/lazy-command.ts) that
 * import them and parse `argv` again when one of them runs.
 */
export function buildProgram(argv: readonly string[] = process.argv): Command {
  const program = rootCommand().hook('preAction', async (_program, action) => {
    await openCliLog(action.name(), program.opts<{ verbose?: boolean }>().verbose === true);
  });
  const rerun = async (register: (root: Command) => void) => {
    const root = rootCommand();
    register(root);
    await root.parseAsync([...argv]);
  };
  registerSandboxCommand(program);
  for (const command of PREPARE_COMMANDS) addLazyCommand(program, command, rerun);
  registerOrgsCommand(program);
  for (const command of UPLOAD_COMMANDS) addLazyCommand(program, command, rerun);
  registerRunsCommand(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code (0 ok, 3 finished with rejected rows, 1 error). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
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
