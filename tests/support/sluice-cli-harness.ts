import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../core/sandbox';
import { spawnSluice, type SpawnedSluice } from './sluice-cli';

/**
 * What a test file that runs the real `sluice` against a Sandbox shares: its own temp folder,
 * the Sandbox each test starts, and the `sluice` processes it spawns. Created at the top of the
 * file: it registers the teardown (kill the children still running, stop the Sandbox after each
 * test, remove the folder after all of them), so a failed test leaves no process or server.
 */
export interface SluiceCliHarness {
  /** The file's temp folder: CSVs, run folders and the data folder (`<root>/data`) go here. */
  readonly root: string;
  /** The Sandbox the running test started; throws if it has not started one. */
  readonly sandbox: Sandbox;
  /** Starts the test's Sandbox (on 127.0.0.1), stopped after the test. */
  startSandbox(options: SandboxOptions): Promise<Sandbox>;
  /**
   * Starts `sluice ...args` with the first org's client secret (none before the Sandbox starts)
   * and `<root>/data` as its data folder; killed after the test if it still runs. With
   * `stderrTty` its stderr claims to be a terminal (stderr-tty.cjs), so the progress lines
   * `sluice` prints only on a terminal come out in `stderr`.
   */
  spawn(args: string[], options?: { stderrTty?: boolean }): SpawnedSluice;
  /** `--api-url` and `--client-id` of the Sandbox's first org. */
  target(): string[];
  /**
   * `sluice upload` of `csv` into `listId` on the first org, auto-mapped, ids from AccountId,
   * runs under `runDir`, `extra` options, a JSON line at the end.
   */
  uploadArgs(csv: string, listId: string, runDir: string, extra?: string[]): string[];
}

/** The preload that makes a child's stderr a terminal to `sluice` (`spawn`'s `stderrTty`). */
const STDERR_TTY = fileURLToPath(new URL('./stderr-tty.cjs', import.meta.url));

/** Creates the harness for one test file; `prefix` names its temp folder. */
export function sluiceCliHarness(prefix: string): SluiceCliHarness {
  const root = mkdtempSync(join(tmpdir(), prefix));
  let current: Sandbox | undefined;
  const children: ChildProcess[] = [];

  /** After each test: kills the `sluice` processes still running, then stops the Sandbox. */
  async function stopTestProcesses(): Promise<void> {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await current?.stop();
    current = undefined;
  }
  afterEach(stopTestProcesses);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const sandbox = (): Sandbox => {
    if (current === undefined) throw new Error('the test has not started its Sandbox');
    return current;
  };
  const firstOrg = () => {
    const org = sandbox().orgs[0];
    if (org === undefined) throw new Error('the Sandbox has no org');
    return org;
  };

  const target = () => ['--api-url', sandbox().url, '--client-id', firstOrg().clientId];

  return {
    root,
    get sandbox() {
      return sandbox();
    },
    async startSandbox(options) {
      current = await startSandbox(options);
      return current;
    },
    spawn(args, options = {}) {
      const spawned = spawnSluice(args, {
        env: {
          SLUICE_CLIENT_SECRET: current?.orgs[0]?.clientSecret ?? '',
          SLUICE_DATA_DIR: join(root, 'data'),
          ...(options.stderrTty
            ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${STDERR_TTY}"` }
            : {}),
        },
      });
      children.push(spawned.child);
      return spawned;
    },
    target,
    uploadArgs(csv, listId, runDir, extra = []) {
      return [
        ...['upload', '--csv', csv, '--list', listId, ...target()],
        ...['--auto-map', '--id-column', 'AccountId', ...extra, '--run-dir', runDir, '--json'],
      ];
    },
  };
}
