import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerSandboxCommand } from './commands/sandbox';
import { registerPrepareCommand } from './commands/prepare';
import { registerOrgsCommand } from './commands/orgs';
import { registerUploadCommand } from './commands/upload';
import { registerRunsCommand } from './commands/runs';

const packageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

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
    .showHelpAfterError()
    .exitOverride();
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
    process.stderr.write(`sluice: ${message}\n`);
    return 1;
  }
}
