import ElectronStore, { type Options as ElectronStoreOptions } from 'electron-store';
import {
  profileStoreOn,
  profileStoreOptions,
  type ProfileDocument,
  type ProfileStore,
} from '../core/store';

/**
 * The org profiles file through electron-store, for the Electron main process: the
 * same file, schema, version and migrations as the conf store the CLI uses
 * (`org-profiles.json` in the data folder), so both read and write one set of profiles.
 * electron-store would version migrations by the app's version; the profiles file keeps its own
 * `PROFILE_STORE_VERSION`, which electron-store honours when `projectVersion` is given.
 * Throws an actionable error when the file is damaged (it is never silently emptied).
 */
export function createElectronProfileStore(dataFolder: string): ProfileStore {
  const { configName, projectName: _projectName, ...shared } = profileStoreOptions(dataFolder);
  const options = { ...shared, name: configName } as ElectronStoreOptions<ProfileDocument>;
  let store: ElectronStore<ProfileDocument>;
  try {
    store = new ElectronStore<ProfileDocument>(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The org profiles file in ${dataFolder} cannot be read (${reason}). Fix or move org-profiles.json, then restart Sluice.`,
    );
  }
  return profileStoreOn(store);
}
