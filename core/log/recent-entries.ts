import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LOG_FILE_BASE } from './app-log';

/** One parsed log line (JSON); unknown shape beyond these fields. */
export interface LogEntry {
  time?: string;
  level?: string;
  msg?: string;
  [field: string]: unknown;
}

const LEVELS_AT_LEAST_WARN = new Set(['warn', 'error', 'fatal']);

/** The log files in `folder`, newest first (pino-roll numbers them upwards). */
export function logFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const pattern = new RegExp(`^${LOG_FILE_BASE}\\.(\\d+)\\.log$`);
  return names
    .map((name) => ({ name, number: Number(pattern.exec(name)?.[1] ?? Number.NaN) }))
    .filter((file) => Number.isFinite(file.number))
    .sort((a, b) => b.number - a.number)
    .map((file) => path.join(folder, file.name));
}

/**
 * The last `limit` warnings and errors in the log folder, oldest first (for "Copy
 * diagnostics"). Reads at most the newest two files and their last 2 MB; lines that are not
 * JSON are skipped.
 */
export function recentProblems(folder: string, limit = 20): LogEntry[] {
  const found: LogEntry[] = [];
  for (const file of logFiles(folder).slice(0, 2)) {
    const lines = tail(file, 2 * 1024 * 1024)
      .split('\n')
      .reverse();
    for (const line of lines) {
      const entry = parseLine(line);
      if (entry && LEVELS_AT_LEAST_WARN.has(String(entry.level))) found.push(entry);
      if (found.length >= limit) return found.reverse();
    }
  }
  return found.reverse();
}

function tail(file: string, maxBytes: number): string {
  const text = readFileSync(file);
  const size = statSync(file).size;
  return text.subarray(Math.max(0, size - maxBytes)).toString('utf8');
}

function parseLine(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogEntry;
  } catch {
    return undefined;
  }
}
