import { Help, type Command } from 'commander';

/** A `register…Command(program)` function: declares a command's options, checks and action. */
export type RegisterCommand = (program: Command) => void;

/** A command whose options and action live in a module loaded only when the command runs. */
export interface LazyCommand {
  /** Name and arguments as `sluice --help` lists them, e.g. `resume <run>`. */
  term: string;
  description: string;
  /** Imports the module and returns its register function. */
  load: () => Promise<RegisterCommand>;
}

/**
 * Adds a stand-in for `lazy` to `program`: `sluice --help` lists its name and description
 * without importing its module (nor the engine, SDK and CSV code behind it). When the command
 * runs, or its own `--help` is asked for, the module is imported and `rerun` parses the whole
 * command line again on a fresh root that declares the real command, so its options, checks,
 * help and errors are exactly the real command's.
 */
export function addLazyCommand(
  program: Command,
  lazy: LazyCommand,
  rerun: (register: RegisterCommand) => Promise<void>,
): void {
  const [name = lazy.term, ...argumentsTerm] = lazy.term.split(' ');
  const usage = ['[options]', ...argumentsTerm].join(' ');
  const stub = program
    .command(name)
    .description(lazy.description)
    .usage(usage)
    // Everything after the name goes to the real command, --help included.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', `\nRun "sluice ${name} --help" for its options.`)
    .action(async () => rerun(await lazy.load()));
  stubTerms.set(stub, `${name} ${usage}`);
  // `sluice --help` lists the stand-in as the real command reads: `resume [options] <run>`.
  const listed = new Help();
  program.configureHelp({
    subcommandTerm: (command) => stubTerms.get(command) ?? listed.subcommandTerm(command),
  });
}

/** How each stand-in is listed in its parent's help. */
const stubTerms = new WeakMap<Command, string>();
