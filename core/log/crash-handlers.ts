import type { AppLog } from './app-log';

/** An unhandled error as logged and shown. */
export interface CrashReport {
  kind: 'uncaught-exception' | 'unhandled-rejection';
  message: string;
  /** Runs that were running when it happened: their journals stay valid and they can be resumed. */
  runningRunIds: string[];
}

export interface CrashHandlerOptions {
  log: AppLog;
  /** Which runs are running now (RunEventsLog.runningRunIds). */
  runningRunIds: () => string[];
  /** Shows the error to the user (Electron: a dialog). Errors it throws are logged, not rethrown. */
  show?: (report: CrashReport) => void;
}

/**
 * Logs an unhandled error with the runs that were running, writes the log to disk at once, and
 * shows it. The process keeps running: a run's journal is committed (fsync) at every batch
 * boundary, so the safe thing is to let running uploads carry on rather than exit mid-batch;
 * the user decides whether to quit (see electron/quit-safely.ts).
 */
export function reportCrash(
  options: CrashHandlerOptions,
  kind: CrashReport['kind'],
  error: unknown,
): CrashReport {
  const runningRunIds = safely(options.runningRunIds) ?? [];
  const message = error instanceof Error ? error.message : String(error);
  const report: CrashReport = { kind, message, runningRunIds };
  options.log.logger.fatal(
    { event: 'crash', kind, err: error, runningRunIds },
    `unhandled ${kind === 'uncaught-exception' ? 'error' : 'promise rejection'}: ${message}`,
  );
  options.log.flushSync();
  try {
    options.show?.(report);
  } catch (showError) {
    options.log.logger.error({ err: showError }, 'could not show the crash report');
  }
  return report;
}

/** Installs `reportCrash` for the process's unhandled errors and rejections; returns the uninstaller. */
export function installCrashHandlers(options: CrashHandlerOptions): () => void {
  const onException = (error: unknown) => reportCrash(options, 'uncaught-exception', error);
  const onRejection = (reason: unknown) => reportCrash(options, 'unhandled-rejection', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
