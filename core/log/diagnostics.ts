import os from 'node:os';
import { scrubSecrets } from './redact';
import type { LogEntry } from './recent-entries';

/** What "Copy diagnostics" gathers; every part is scrubbed again before it becomes text. */
export interface DiagnosticsInput {
  /** e.g. `{ app: '0.1.0', electron: '41.7.1', chrome: '…', node: '…', sdk: '262.0.0' }`. */
  versions: Record<string, string | undefined>;
  /** Settings and org profiles as the services report them (no secrets expected, scrubbed anyway). */
  settings: unknown;
  recentProblems: LogEntry[];
  dataFolder: string;
  logsFolder: string;
}

/**
 * A plain-text report a consultant pastes into a support ticket: versions, OS, folders,
 * settings without secrets, and the latest warnings and errors from the log.
 */
export function formatDiagnostics(input: DiagnosticsInput): string {
  const versions = Object.entries(input.versions)
    .filter(([, version]) => version !== undefined)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const problems = input.recentProblems.map((entry) => {
    const { time, level, msg, ...fields } = entry;
    const context = ['runId', 'org', 'status', 'correlationId', 'code']
      .filter((key) => fields[key] !== undefined)
      .map((key) => `${key}=${String(fields[key])}`)
      .join(' ');
    return `  ${time ?? '?'} ${level ?? '?'} ${msg ?? ''}${context ? ` (${context})` : ''}`;
  });
  const text = [
    'Sluice diagnostics',
    `Versions: ${versions}`,
    `OS: ${os.type()} ${os.release()} ${os.arch()} (${process.platform})`,
    `Data folder: ${input.dataFolder}`,
    `Logs folder: ${input.logsFolder}`,
    'Settings:',
    JSON.stringify(scrubSecrets(input.settings), null, 2),
    `Latest warnings and errors (${problems.length}):`,
    ...(problems.length ? problems : ['  none']),
  ].join('\n');
  return scrubSecrets(text) as string;
}
