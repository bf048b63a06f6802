import { spawn, type ChildProcess } from 'node:child_process';
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
  stop(): Promise<void>;
}

/**
 * Starts `host/main.ts` on a random port with a throw-away data folder and reads its address.
 * `extraArgs` go to the host (e.g. `--sandbox-overrides` to inject faults into the Sandbox org).
 */
export async function startHostProcess(extraArgs: string[] = []): Promise<HostProcess> {
  const dataFolder = mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', 'host/main.ts', '--json', '--data-dir', dataFolder],
      // The specs write their CSV and schema files in their own temporary folders.
      ...['--allow-dir', os.tmpdir(), ...extraArgs],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`host exited early with code ${code}`)));
  });
  const address = JSON.parse(first) as { url: string; origin: string; token: string };
  return {
    ...address,
    dataFolder,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataFolder, { recursive: true, force: true });
    },
  };
}
