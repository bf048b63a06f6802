import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { CallResult, WireMessage } from '../../core/contract';

/** A web host process (the dist bundle of host/main.ts) on a data folder, without its Sandbox. */
export interface HostProcess {
  child: ChildProcess;
  origin: string;
  token: string;
  /** Resolves when the process has exited (by itself or a signal). */
  exited: Promise<void>;
}

/**
 * Starts `dist/host/main.js` (built by the integration global setup) on 127.0.0.1 with its own
 * data folder, `--no-sandbox` (the test's Sandbox is the org, so it outlives the host), and
 * `allowDir` readable for CSV files. The caller stops it (SIGTERM, or SIGKILL for a crash).
 */
export async function startHostProcess(
  dataFolder: string,
  allowDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<HostProcess> {
  const staticDir = join(dataFolder, '..', 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Sluice</title>');
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'dist', 'host', 'main.js'),
      '--json',
      '--no-sandbox',
      '--data-dir',
      dataFolder,
      '--allow-dir',
      allowDir,
      '--static-dir',
      staticDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`host exited early (${code}): ${stderr}`)));
  });
  const address = JSON.parse(first) as { origin: string; token: string };
  return { child, origin: address.origin, token: address.token, exited };
}

/** A typed-enough client of the host's socket: calls that throw the contract error, and events. */
export interface HostClient {
  call<T>(channel: string, payload: unknown): Promise<T>;
  /** Resolves with the first event of `name` whose payload passes `match`. */
  next<T>(name: string, match: (payload: T) => boolean): Promise<T>;
  close(): void;
}

/** Connects to a host's socket the way its page does (its origin, its per-launch token). */
export async function connectHost(host: { origin: string; token: string }): Promise<HostClient> {
  const url = new URL('/api/socket', host.origin.replace('http', 'ws'));
  url.searchParams.set('token', host.token);
  const socket = new WebSocket(url, { origin: host.origin });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 0;
  const pending = new Map<number, (result: CallResult<unknown>) => void>();
  const watchers = new Set<(event: string, payload: unknown) => void>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as WireMessage;
    if (message.type === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else {
      for (const watcher of [...watchers]) watcher(message.event, message.payload);
    }
  });
  return {
    call<T>(channel: string, payload: unknown): Promise<T> {
      nextId += 1;
      const id = nextId;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (result) => {
          if (result.ok) resolve(result.value as T);
          else reject(Object.assign(new Error(result.error.message), result.error));
        });
        socket.send(JSON.stringify({ type: 'call', id, channel, payload }));
      });
    },
    next<T>(name: string, match: (payload: T) => boolean): Promise<T> {
      return new Promise<T>((resolve) => {
        const watcher = (event: string, payload: unknown) => {
          if (event === name && match(payload as T)) {
            watchers.delete(watcher);
            resolve(payload as T);
          }
        };
        watchers.add(watcher);
      });
    },
    close: () => socket.close(),
  };
}
