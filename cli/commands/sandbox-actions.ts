import { readFileSync } from 'node:fs';
import {
  SCENARIO_NAMES,
  startSandbox,
  type DeepPartial,
  type SandboxConfig,
  type ScenarioName,
} from '../../core/sandbox';

// What `sluice sandbox` does, imported by sandbox.ts only when the command runs.

export interface SandboxCommandOptions {
  scenario: string;
  port: number;
  config?: string;
  seed: number;
}

/** Serves the Sandbox org until SIGINT or SIGTERM; throws a one-line message when it cannot start. */
export async function serveSandbox(options: SandboxCommandOptions): Promise<void> {
  if (!SCENARIO_NAMES.includes(options.scenario as ScenarioName)) {
    throw new Error(
      `--scenario ${options.scenario} is not a scenario: use one of ${SCENARIO_NAMES.join(', ')}.`,
    );
  }
  const scenario = options.scenario as ScenarioName;
  const overrides = options.config === undefined ? undefined : readOverrides(options.config);
  const sandbox = await startSandbox({
    scenario,
    port: options.port,
    seed: options.seed,
    ...(overrides === undefined ? {} : { overrides }),
  });
  const lines = [`Sandbox org (${scenario}) listening on ${sandbox.url}`];
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
