import { createInspector, describeOrgs, type SandboxInspector } from './inspection';
import { startServer } from './server';
import type { DeepPartial, SandboxConfig, SandboxOrgInfo, ScenarioName } from './types';
import { SandboxWorld } from './world';

/** How to start a sandbox org (core/sandbox/README.md). */
export interface SandboxOptions {
  /** TCP port; default 0 (a free one). The host is always 127.0.0.1. */
  port?: number;
  /** Preset; default `demo`. */
  scenario?: ScenarioName;
  /** JSON-able overrides of the scenario (limits, faults, retryAfterMode, orgs...). */
  overrides?: DeepPartial<SandboxConfig>;
  /** Seed of the RNG behind faults and latency (reproducible runs); default 1. */
  seed?: number;
  /**
   * The Sandbox's clock in ms (default `Date.now`): rate-limit windows, token expiry, import
   * progress and the list-size lag all read it, so a test can jump time instead of waiting.
   */
  now?: () => number;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:PORT`: the base for both `/oauth/token` and `/api/v2/...`. */
  url: string;
  port: number;
  /** The orgs as they are now (re-read after `inspect.reset`); `orgs[0]` is the default org. */
  orgs: SandboxOrgInfo[];
  inspect: SandboxInspector;
  /** Closes the server and every open socket, and clears timers. */
  stop(): Promise<void>;
}

/**
 * Starts the local Genesys Cloud simulator on 127.0.0.1. Rejects with a readable message on an
 * invalid scenario/override or a port already in use.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const current = { scenario: options.scenario ?? 'demo' };
  const world = new SandboxWorld(
    current.scenario,
    options.overrides,
    options.seed ?? 1,
    options.now ?? Date.now,
  );
  const inspect = createInspector(world, current);
  let server;
  try {
    server = await startServer(world, inspect, options.port ?? 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(
        `Port ${options.port} is already in use: pick another with --port, or 0 for a free one.`,
      );
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    get orgs() {
      return describeOrgs(world);
    },
    inspect,
    stop: () => (stopped ??= server.stop()),
  };
}

export { SCENARIO_NAMES, buildConfig, stableId, POST_CONTACTS_ROUTE } from './scenarios';
export type { SandboxInspector } from './inspection';
export { LIMIT_NAMESPACES } from './org-routes';
export { IMPORT_FAILURE_REASONS } from './import-flow';
export { rateLimitBody } from './api-pipeline';
export type {
  ContactList,
  ContactQueueState,
  ContactWriteFlags,
  ContactWriteRecord,
  ContactWriteSource,
  DeepPartial,
  FaultConfig,
  LimitLayerConfig,
  RequestLogEntry,
  RetryAfterMode,
  SandboxConfig,
  SandboxCounters,
  SandboxOrgConfig,
  SandboxOrgInfo,
  ScenarioName,
  ScriptedAnswer,
  StoredContact,
} from './types';
