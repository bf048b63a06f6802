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
