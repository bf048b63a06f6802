import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { REDACT_PATHS, REDACTED, scrubSecrets } from './redact';

/** Which program writes a log line: the three shells share one log folder. */
export type LogProcess = 'cli' | 'electron' | 'web-host';

/** The log folder inside a data folder. */
export function logsFolder(dataFolder: string): string {
  return path.join(dataFolder, 'logs');
}

/** Base name of the log files: `sluice.1.log`, `sluice.2.log`, … (the highest is the newest). */
export const LOG_FILE_BASE = 'sluice';
/** A file rolls over at this size; the newest files up to `LOG_FILES_KEPT` + 1 are kept. */
export const LOG_FILE_MAX_SIZE = '5m';
export const LOG_FILES_KEPT = 4;

export interface AppLogOptions {
  /** The data folder (`SLUICE_DATA_DIR` or the OS default); logs go to its `logs/`. */
  dataFolder: string;
  process: LogProcess;
  /** Also echo every line to stderr (the CLI's `--verbose`). */
  echoToStderr?: boolean;
  level?: pino.LevelWithSilent;
}

/** An open log: the pino logger and how to get its lines onto disk before the process ends. */
export interface AppLog {
  logger: Logger;
  /** The folder holding the log files. */
  folder: string;
  /** Writes what is buffered now, synchronously (crash handlers, `process.exit`). */
  flushSync(): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/**
 * Opens the app log, or, when its folder cannot be written (read-only or full disk, wrong
 * permissions), a log on stderr that says so in its first line: logging must never stop the app.
 */
export async function openAppLogOrStderr(options: AppLogOptions): Promise<AppLog> {
  try {
    return await openAppLog(options);
  } catch (error) {
    const logger = pino(
      {
        level: options.level ?? 'info',
        base: { process: options.process, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        hooks: {
          logMethod(args, method) {
            method.apply(this, args.map((arg) => scrubSecrets(arg)) as typeof args);
          },
        },
      },
      pino.destination({ fd: 2, sync: true }),
    );
    const folder = logsFolder(options.dataFolder);
    logger.warn({ err: error, folder }, `the log folder cannot be written; logging to stderr`);
    return { logger, folder, flushSync: () => undefined, close: async () => undefined };
  }
}

/**
 * Opens the app's rotating JSON-lines log in `<data folder>/logs/` (0700 folder, 0600 files).
 * Every entry has `time`, `level`, `process` and `pid`; call sites add `runId`, `org`,
 * `outcome`, `status`, `correlationId`. Secrets are scrubbed from every argument before pino
 * sees it (see redact.ts), and pino's own `redact` censors the usual header paths on top.
 */
export async function openAppLog(options: AppLogOptions): Promise<AppLog> {
  const folder = logsFolder(options.dataFolder);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = await pinoRoll({
    file: path.join(folder, LOG_FILE_BASE),
    extension: '.log',
    size: LOG_FILE_MAX_SIZE,
    limit: { count: LOG_FILES_KEPT },
    mode: 0o600,
    mkdir: true,
  });
  // The file opens asynchronously; until it has, flushSync (the crash path) would throw.
  if ((file as unknown as { fd: number }).fd < 0) await once(file, 'ready');
  const streams: pino.StreamEntry[] = [{ stream: file, level: 'trace' }];
  if (options.echoToStderr) {
    streams.push({ stream: pino.destination({ fd: 2, sync: true }), level: 'trace' });
  }
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { process: options.process, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      serializers: { err: (error: unknown) => scrubSecrets(error) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => scrubSecrets(arg)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    pino.multistream(streams),
  );
  let closed: Promise<void> | undefined;
  return {
    logger,
    folder,
    flushSync() {
      try {
        file.flushSync();
      } catch {
        // Nothing buffered, or the file is already closed: nothing to lose.
      }
    },
    close() {
      // A line logged after this (a late event, a signal handler) is dropped, not thrown:
      // writing to an ended file would raise an error nobody can catch. Closing twice is fine.
      logger.level = 'silent';
      closed ??= new Promise((resolve) => {
        file.once('close', () => resolve());
        file.end();
      });
      return closed;
    },
  };
}
