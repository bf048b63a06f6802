export {
  openAppLog,
  openAppLogOrStderr,
  logsFolder,
  type AppLog,
  type AppLogOptions,
  type LogProcess,
} from './app-log';
export { RunEventsLog } from './run-events-log';
export { recentProblems, logFiles, type LogEntry } from './recent-entries';
export { formatDiagnostics, type DiagnosticsInput } from './diagnostics';
export { scrubSecrets, scrubText, isSecretKey, REDACTED } from './redact';
export { installCrashHandlers, type CrashHandlerOptions } from './crash-handlers';
