import { InvalidArgumentError, Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import {
  SCENARIO_NAMES,
  startSandbox,
  type DeepPartial,
  type SandboxConfig,
  type ScenarioName,
} from '../../core/sandbox';

interface SandboxCommandOptions {
  scenario: ScenarioName;
  port: number;
  config?: string;
  seed: number;
}

/**
 * `sluice sandbox`: serves the local Genesys Cloud simulator (core/sandbox/README.md) until SIGINT or
 * SIGTERM, printing its URL and every org's credentials. Exit 1 when it cannot start (bad
 * config file, port in use).
 */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      'Run the Sandbox org: a local Genesys Cloud API simulator on 127.0.0.1 (OAuth, contact lists, contacts, import), with configurable rate limits and faults. Stops on Ctrl+C.',
    )
    .addOption(
      new Option(
        '--scenario <name>',
        'preset: demo (friendly), field-report (hidden layered limit, short Retry-After), flaky (5xx, resets, timeouts, lost responses), strict (tight sliding windows)',
      )
        .choices([...SCENARIO_NAMES])
        .default('demo'),
    )
    .option('--port <number>', 'TCP port on 127.0.0.1 (0 picks a free one)', parseInteger, 0)
    .option(
      '--config <file>',
      'JSON file of overrides merged into the scenario (e.g. {"retryAfterMode":"missing","faults":{"status503":0.05}})',
    )
    .option(
      '--seed <number>',
      'seed of the random generator behind faults and latency (same seed, same run)',
      parseInteger,
      1,
    )
    .action(async (options: SandboxCommandOptions) => {
      const overrides = options.config === undefined ? undefined : readOverrides(options.config);
      const sandbox = await startSandbox({
        scenario: options.scenario,
        port: options.port,
        seed: options.seed,
        ...(overrides === undefined ? {} : { overrides }),
      });
      const lines = [`Sandbox org (${options.scenario}) listening on ${sandbox.url}`];
      for (const org of sandbox.orgs) {
        lines.push(
          `  ${org.name}: client id ${org.clientId}  secret ${org.clientSecret}  PKCE client id ${org.pkceClientId}  (${org.contactListIds.length} contact lists)`,
        );
      }
      lines.push(`Inspect: ${sandbox.url}/__sandbox/counters  ·  Stop: Ctrl+C`);
      process.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sandbox.stop();
      process.stderr.write('Sandbox stopped.\n');
    });
}

function parseInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number.');
  return Number(value);
}

function readOverrides(file: string): DeepPartial<SandboxConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Cannot read the config file ${file}: check the path.`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as DeepPartial<SandboxConfig>;
  } catch {
    throw new Error(`The config file ${file} is not a JSON object of sandbox overrides.`);
  }
}
