import { InvalidArgumentError, type Command } from 'commander';
import type { SandboxCommandOptions } from './sandbox-actions';

/**
 * `sluice sandbox`: serves the local Genesys Cloud simulator (core/sandbox/README.md) until
 * SIGINT or SIGTERM, printing its URL and every org's credentials. Exit 1 when it cannot start
 * (bad config file, port in use, unknown scenario). The simulator loads only when it runs.
 */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      'Run the Sandbox org: a local Genesys Cloud API simulator on 127.0.0.1 (OAuth, contact lists, contacts, import), with configurable rate limits and faults. Stops on Ctrl+C.',
    )
    .option(
      '--scenario <name>',
      'preset: demo (friendly), field-report (hidden layered limit, short Retry-After), flaky (5xx, resets, timeouts, lost responses), strict (tight sliding windows)',
      'demo',
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
    .action(async (options: SandboxCommandOptions) =>
      (await import('./sandbox-actions')).serveSandbox(options),
    );
}

function parseInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number.');
  return Number(value);
}
