import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The folder where the app and the CLI keep settings, org profiles, run journals and logs, so
 * both see the same profiles: `SLUICE_DATA_DIR` when set, else the OS app-data folder the
 * Electron app uses for `userData` (`~/.config/Sluice` on Linux, `~/Library/Application
 * Support/Sluice` on macOS, `%APPDATA%\Sluice` on Windows). Always absolute.
 */
export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SLUICE_DATA_DIR?.trim();
  if (override) return path.resolve(override);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Sluice');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Sluice');
    default:
      return path.join(env.XDG_CONFIG_HOME?.trim() || path.join(home, '.config'), 'Sluice');
  }
}

/**
 * Creates the data folder readable by this user only (0700): run journals and failed-rows files
 * hold contact data. The default folder is tightened if an older version made it 0755; a folder
 * named by `SLUICE_DATA_DIR` or `--data-dir` is created 0700 but otherwise left as the user set
 * it. Returns the folder. (Windows ignores the mode: the profile folder is private already.)
 */
export function ensureDataFolder(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  const created = !existsSync(folder);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const isDefault = path.resolve(folder) === defaultDataFolder({ ...env, SLUICE_DATA_DIR: '' });
  if ((created || isDefault) && (statSync(folder).mode & 0o077) !== 0) chmodSync(folder, 0o700);
  return folder;
}
