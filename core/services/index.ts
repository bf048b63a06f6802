import os from 'node:os';
import path from 'node:path';
import { ContractError, type AppInfo, type FilePurpose, type Services } from '../contract';
import { createMemorySecretStore } from '../store/secret-store';
import { EventBus } from './event-bus';
import { createListsServices, listJsonReader } from './lists-service';
import { createOrgsServices } from './orgs-service';
import { OrgRegistry } from './orgs-registry';
import { createCsvServices } from './csv-service';
import { createMappingsServices } from './mappings-service';
import { createSchemaLoader } from './schema-loader';
import { writeSampleCsv } from './sample-csv';
import type { WorkerEntry } from '../csv/prepare-in-worker';
import { createRunsServices } from './runs-service';
import { defaultFileAccess, type FileAccess } from './file-access';
import { createRunViewServices } from './run-view-service';
import { CheckedFiles } from './checked-files';

export { dispatch } from './dispatch';
export { FileAccess, webHostRoots } from './file-access';
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
  /**
   * Which paths the renderer may have opened (see file-access.ts). By default the data folder,
   * plus the working directory for the web host; the desktop app adds files picked in dialogs.
   */
  fileAccess?: FileAccess;
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
  const files = context.fileAccess ?? defaultFileAccess(context.shell, context.dataFolder);
  // The whole-file check (run view) counts a file's rows; an upload started after it (runs) reads them.
  const checkedFiles = new CheckedFiles();
  const fetchListJson = listJsonReader(orgs);
  const loadListOrFile = createSchemaLoader(fetchListJson);
  const loadSchema: typeof loadListOrFile = (source) =>
    loadListOrFile(
      source.kind === 'file'
        ? { ...source, path: files.check(source.path, 'read', 'the schema file') }
        : source,
    );
  return {
    ...createCsvServices({ events, loadSchema, prepareWorker: context.prepareWorker, files }),
    ...createMappingsServices({
      folder: path.join(context.dataFolder, 'mappings'),
      loadSchema,
      files,
    }),
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
      const picked = await context.pickFile(purpose, defaultPath);
      // The path came from the main process's native dialog, not the renderer: it is usable.
      if (picked !== null) files.grantPath(picked);
      return { path: picked };
    },
    ...createOrgsServices(orgs),
    ...createListsServices(orgs, context.dataFolder, files),
    ...createRunsServices({
      dataFolder: context.dataFolder,
      orgs,
      events,
      loadSchema,
      fetchListJson,
      files,
      checkedFiles,
    }),
    ...createRunViewServices({
      events,
      loadSchema,
      dataFolder: context.dataFolder,
      prepareWorker: context.prepareWorker,
      files,
      checkedFiles,
    }),
  };
}
