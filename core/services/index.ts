import os from 'node:os';
import path from 'node:path';
import { ContractError, type AppInfo, type FilePurpose, type Services } from '../contract';
import { createMemorySecretStore } from '../store/secret-store';
import { EventBus } from './event-bus';
import { createListsServices } from './lists';
import { createOrgsServices } from './orgs';
import { OrgRegistry } from './orgs-registry';
import { createCsvServices } from './csv-service';
import { createMappingsServices } from './mappings-service';
import { createSchemaLoader } from './schema-loader';
import { writeSampleCsv } from './sample-csv';
import type { WorkerEntry } from '../csv/prepare-in-worker';
import { createRunsServices } from './runs-service';
import { createRunViewServices } from './run-view-service';
import { getContactListJson } from '../genesys/contact-lists';
import { toContractError } from './orgs-support';

export { dispatch } from './dispatch';
export { EventBus } from './event-bus';
export {
  OrgRegistry,
  SANDBOX_ORG_ID,
  type OrgConnection,
  type OrgRegistryOptions,
} from './orgs-registry';

/** What a shell tells the services about where they run. */
export interface ServiceContext {
  version: string;
  dataFolder: string;
  shell: AppInfo['shell'];
  events?: EventBus;
  /**
   * Orgs, secrets and sign-in sessions. Shells build it with the keychain (`openSecretStore`)
   * and the running sandbox; without one, profiles are read from `dataFolder` and secrets are
   * kept in memory for this session.
   */
  orgs?: OrgRegistry;
  /** The shell's native file dialog (Electron); resolves to null when the user cancels. */
  pickFile?: (purpose: FilePurpose, defaultPath?: string) => Promise<string | null>;
  /** The CSV preparation worker's script when bundled (Electron); from source by default. */
  prepareWorker?: WorkerEntry;
}

/**
 * Builds the one implementation of the contract that both shells serve. Each feature adds its
 * handlers here from its own module.
 */
export function createServices(context: ServiceContext): Services {
  const events = context.events ?? new EventBus();
  const orgs =
    context.orgs ??
    new OrgRegistry({
      dataFolder: context.dataFolder,
      secretStore: createMemorySecretStore('the shell set up no keychain'),
    });
  const loadSchema = createSchemaLoader(async (orgId, listId) => {
    const connection = await orgs.connection(orgId);
    return getContactListJson(connection.api, listId).catch((error: unknown) => {
      throw toContractError(
        error,
        connection.orgLabel,
        `read contact list ${listId}`,
        'outbound:contactList:view',
      );
    });
  });
  return {
    ...createCsvServices({ events, loadSchema, prepareWorker: context.prepareWorker }),
    ...createMappingsServices({ folder: path.join(context.dataFolder, 'mappings'), loadSchema }),
    'app:info': async () => ({
      name: 'Sluice',
      version: context.version,
      platform: os.platform(),
      arch: os.arch(),
      dataFolder: context.dataFolder,
      shell: context.shell,
    }),
    'app:sampleCsv': async () => ({ path: writeSampleCsv(context.dataFolder) }),
    'app:pickFile': async ({ purpose, defaultPath }) => {
      if (!context.pickFile) {
        throw new ContractError(
          'unavailable',
          'No file dialog in the browser: type the file path instead.',
        );
      }
      return { path: await context.pickFile(purpose, defaultPath) };
    },
    ...createOrgsServices(orgs),
    ...createListsServices(orgs, context.dataFolder),
    ...createRunsServices({ dataFolder: context.dataFolder, orgs, events, loadSchema }),
    ...createRunViewServices({
      events,
      loadSchema,
      dataFolder: context.dataFolder,
      prepareWorker: context.prepareWorker,
    }),
  };
}
