import os from 'node:os';
import type { AppInfo, OrgSummary, Services } from '../contract';
import { EventBus } from './event-bus';
import { createCsvServices } from './csv-service';

export { dispatch } from './dispatch';
export { EventBus } from './event-bus';

/** What a shell tells the services about where they run. */
export interface ServiceContext {
  version: string;
  dataFolder: string;
  shell: AppInfo['shell'];
  events?: EventBus;
}

/** The built-in Sandbox org every install starts with (the simulator runs in-process). */
const sandboxOrg: OrgSummary = {
  id: 'sandbox',
  name: 'Sandbox',
  region: 'custom',
  apiUrl: 'http://127.0.0.1',
  authMethod: 'client-credentials',
  builtIn: true,
  status: 'signed-out',
  statusMessage: 'Built-in simulator of the Genesys Cloud API',
};

/**
 * Builds the one implementation of the contract that both shells serve. Each feature adds its
 * handlers here from its own module.
 */
export function createServices(context: ServiceContext): Services {
  const events = context.events ?? new EventBus();
  return {
    ...createCsvServices({ events }),
    'app:info': async () => ({
      name: 'Sluice',
      version: context.version,
      platform: os.platform(),
      arch: os.arch(),
      dataFolder: context.dataFolder,
      shell: context.shell,
    }),
    'orgs:list': async () => [sandboxOrg],
  };
}
