import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real `sluice` command (bin/sluice.js, the bundle the integration setup rebuilds) in a
 * child Node process, the way a consultant's shell would.
 */

/** The path of the `sluice` entry point in this checkout. */
export const SLUICE_BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

/** What a finished `sluice` process left: its exit code (null if a signal ended it) and output. */
export interface SluiceResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where and with what environment to run `sluice`; `env` is laid over this process's env. */
export interface SluiceOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `sluice ...args` to its end and resolves with its exit code (0 on success, 1 when the
 * process failed without a numeric code) and its whole output. Never rejects.
 */
export function execSluice(
  args: string[],
  options: SluiceOptions = {},
): Promise<SluiceResult & { code: number }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SLUICE_BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A started `sluice` process: the child (to signal or kill) and its result once it closes. */
export interface SpawnedSluice {
  child: ChildProcess;
  done: Promise<SluiceResult>;
}

/**
 * Starts `sluice ...args` without waiting for it, collecting its stdout and stderr. The caller
 * owns the child: kill it in the test's teardown if it may still run.
 */
export function spawnSluice(args: string[], options: SluiceOptions = {}): SpawnedSluice {
  const child = spawn(process.execPath, [SLUICE_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<SluiceResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}
