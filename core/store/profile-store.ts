import Conf, { type Options as ConfOptions } from 'conf';
import { OrgProfile } from './org-profile';
import { ensureDataFolder } from './data-folder';

/**
 * Where org profiles are kept. The CLI and the app share one file in the data folder; each read
 * goes to the file, so a profile the CLI adds shows up in a running app.
 */
export interface ProfileStore {
  /** Every saved profile, sorted by name. Entries that fail validation are skipped. */
  list(): OrgProfile[];
  get(id: string): OrgProfile | undefined;
  /** Inserts or replaces the profile with the same id. Throws if `profile` is invalid. */
  save(profile: OrgProfile): void;
  /** Returns false when no such profile existed. */
  remove(id: string): boolean;
}

/** The stored document: a version (for migrations, kept by conf) and the profiles. */
export interface ProfileDocument extends Record<string, unknown> {
  profiles: unknown[];
}

/** The minimal key/value API of conf and electron-store that {@link profileStoreOn} needs. */
export interface ProfileBacking {
  get(key: 'profiles'): unknown;
  set(key: 'profiles', value: unknown[]): void;
}

/** Bump when the stored shape changes, and add a migration below. */
export const PROFILE_STORE_VERSION = '1.0.0';

/**
 * conf / electron-store options for the profiles file: absolute `cwd`, a JSON schema, a version
 * with migrations, owner-only file mode, and `clearInvalidConfig: false` so a damaged file is
 * reported rather than silently emptied (losing every profile).
 */
export function profileStoreOptions(dataFolder: string): ConfOptions<ProfileDocument> {
  return {
    projectName: 'sluice',
    cwd: dataFolder,
    configName: 'org-profiles',
    projectVersion: PROFILE_STORE_VERSION,
    clearInvalidConfig: false,
    configFileMode: 0o600,
    defaults: { profiles: [] },
    schema: {
      profiles: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'region', 'authMethod', 'clientId'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            region: { type: 'string' },
            apiUrl: { type: 'string' },
            authMethod: { type: 'string', enum: ['client-credentials', 'pkce'] },
            clientId: { type: 'string' },
            redirectPort: { type: 'number' },
          },
        },
      },
    },
    migrations: {
      // 1.0.0: first stored shape. Older pre-release files kept `baseUrl`; rename it.
      '1.0.0': (store) => {
        const profiles = store.get('profiles');
        const list = Array.isArray(profiles) ? profiles : [];
        store.set(
          'profiles',
          list.map((entry: unknown) => {
            if (!entry || typeof entry !== 'object') return entry;
            const { baseUrl, ...rest } = entry as Record<string, unknown>;
            return baseUrl !== undefined && rest.apiUrl === undefined
              ? { ...rest, apiUrl: baseUrl }
              : rest;
          }),
        );
      },
    },
  };
}

/** Opens the profiles file in `dataFolder` with conf (plain Node: CLI, host, tests). */
export function createConfProfileStore(dataFolder: string): ProfileStore {
  let conf: Conf<ProfileDocument>;
  try {
    ensureDataFolder(dataFolder);
    conf = new Conf<ProfileDocument>(profileStoreOptions(dataFolder));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The org profiles file in ${dataFolder} cannot be read (${reason}). Fix or move org-profiles.json, then try again.`,
    );
  }
  return profileStoreOn(conf);
}

/** The profile logic over any conf-like backing (conf here, electron-store in electron/). */
export function profileStoreOn(backing: ProfileBacking): ProfileStore {
  // Entries this version cannot read (a newer app wrote them) are kept untouched on write.
  const readRaw = (): unknown[] => {
    const raw = backing.get('profiles');
    return Array.isArray(raw) ? raw : [];
  };
  const idOf = (entry: unknown): unknown =>
    entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined;
  const readAll = (): OrgProfile[] =>
    readRaw().flatMap((entry) => {
      const parsed = OrgProfile.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  return {
    list: () => readAll().sort((a, b) => a.name.localeCompare(b.name)),
    get: (id) => readAll().find((profile) => profile.id === id),
    save(profile) {
      const valid = OrgProfile.parse(profile);
      const others = readRaw().filter((entry) => idOf(entry) !== valid.id);
      backing.set('profiles', [...others, valid]);
    },
    remove(id) {
      const all = readRaw();
      const kept = all.filter((entry) => idOf(entry) !== id);
      if (kept.length === all.length) return false;
      backing.set('profiles', kept);
      return true;
    },
  };
}
