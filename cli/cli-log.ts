// The data folder module only: core/store's index loads conf (and its exit hooks) at import.
import { defaultDataFolder } from '../core/store/data-folder';
import type { AppLog, RunEventsLog } from '../core/log';

/**
 * The CLI's handle on the shared app log (`<data folder>/logs`, the same files the desktop app
 * writes). Opened just before a command's action runs, so `--help` never touches the disk.
 */
let current: { log: AppLog; runs: RunEventsLog } | undefined;

/** Opens the log for this command; `echo` copies every line to stderr (`--verbose`). */
export async function openCliLog(command: string, echo: boolean): Promise<void> {
  // Loaded on demand: pino and its file roller are a quarter of the start-up time of `--help`.
  const { openAppLog, RunEventsLog } = await import('../core/log');
  let log: AppLog;
  try {
    log = await openAppLog({
      dataFolder: defaultDataFolder(),
      process: 'cli',
      echoToStderr: echo,
      level: echo ? 'debug' : 'info',
    });
  } catch (error) {
    // A log that cannot be written never stops a command; --verbose says why.
    if (echo) {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`sluice: no log file this time (${reason})\n`);
    }
    return;
  }
  current = { log, runs: new RunEventsLog(log.logger) };
  log.logger.info({ event: 'command', command }, `sluice ${command}`);
}

/** The open log, if a command opened one (unit tests call commands without it). */
export function cliLog(): { log: AppLog; runs: RunEventsLog } | undefined {
  return current;
}

/** Flushes and closes the log at the end of a command. */
export async function closeCliLog(): Promise<void> {
  const open = current;
  current = undefined;
  if (open) await open.log.close();
}
