import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** A web host started as its own process, the way `npm run dev:web` starts it. */
export interface HostProcess {
  url: string;
  origin: string;
  token: string;
  dataFolder: string;
  /** The keychain service name this host was told to file secrets under (its own). */
  keychainService: string;
  /** Stops the host and removes its data folder, unless `keepDataFolder` (a relaunch follows). */
  stop(options?: { keepDataFolder?: boolean }): Promise<void>;
}

/** True where scripts/with-keyring.sh can give the host a private, throw-away keyring. */
const privateKeyring =
  process.platform === 'linux' &&
  ['dbus-run-session', 'gnome-keyring-daemon'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  );

/**
 * Starts `host/main.ts` on a random port and reads its address. Each host has its own data
 * folder (removed on stop), its own keychain service name (`SLUICE_KEYCHAIN_SERVICE`) and, on
 * Linux, its own throw-away gnome-keyring inside a private D-Bus session, so no e2e test can
 * write a secret into a developer's real keychain. `extraArgs` go to the host (e.g.
 * `--sandbox-overrides` to inject faults into the Sandbox org). `dataFolder` relaunches on the
 * folder of a host stopped with `keepDataFolder` (its secrets went with its keyring).
 */
export async function startHostProcess(
  extraArgs: string[] = [],
  options: { dataFolder?: string } = {},
): Promise<HostProcess> {
  const dataFolder = options.dataFolder ?? mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-'));
  const keychainService = `sluice-e2e-${path.basename(dataFolder)}`;
  const host = [
    process.execPath,
    '--import',
    'tsx',
    'host/main.ts',
    '--json',
    '--data-dir',
    dataFolder,
    // The specs write their CSV and schema files in their own temporary folders.
    ...['--allow-dir', os.tmpdir()],
    ...extraArgs,
  ];
  const [command, ...args] = privateKeyring ? ['scripts/with-keyring.sh', ...host] : host;
  // Its own process group, so stop() reaches the host and the keyring session around it.
  const child: ChildProcess = spawn(command!, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
    env: {
      ...process.env,
      SLUICE_DATA_DIR: dataFolder,
      SLUICE_KEYCHAIN_SERVICE: keychainService,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`host exited early with code ${code}`)));
  });
  const address = JSON.parse(first) as { url: string; origin: string; token: string };
  return {
    ...address,
    dataFolder,
    keychainService,
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      if (!stopOptions.keepDataFolder) rmSync(dataFolder, { recursive: true, force: true });
    },
  };
}
