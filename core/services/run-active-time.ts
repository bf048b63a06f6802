import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** How long a run has been sending, summed over its sessions, from its journal's markers. */
export interface ActiveTime {
  /** Milliseconds between each session's opening marker and its closing one (pause or end). */
  activeMs: number;
  /** When the first session started (ISO). */
  firstStartAt?: string;
  /**
   * Rows the journal records as uploaded (a row sent again by a retry counts again): the
   * progress of a run another process (the command line) is running, whose summary file is
   * written only when its state changes.
   */
  uploadedRows: number;
  /**
   * The last session marker opens a session: the run is going (in some process), or the
   * process running it died. With a journal written seconds ago, it is going.
   */
  sessionOpen: boolean;
}

interface JournalScan {
  /** Bytes of complete lines already read. */
  offset: number;
  /** The journal's size and modification time when last read (a smaller size = a new file). */
  size: number;
  closedMs: number;
  openAtMs: number | undefined;
  firstStartAt: string | undefined;
  uploadedRows: number;
}

const OPENING = new Set(['start', 'resume', 'retry']);
const CLOSING = new Set(['pause', 'end']);
const READ_BYTES = 1024 * 1024;

/**
 * Active time of runs from their journals (`journal.ndjson`), read incrementally: the journal is
 * append-only, so each call reads only what was written since the last one. A session's time
 * runs from its `start`/`resume`/`retry` marker to its `pause`/`end` marker; a session still
 * open counts until the journal's last write (a live run, or one that stopped without closing
 * its session). A session left open and followed by another (the process was killed) counts
 * nothing: when it stopped is unknown, and its downtime must not count as sending time.
 *
 * History's duration and contacts/s use this, so a later retry or fix adds its own sending
 * time instead of replacing the run's.
 */
export function createActiveTimeReader(): (journalPath: string) => ActiveTime | undefined {
  const scans = new Map<string, JournalScan>();
  return (journalPath) => {
    let stats;
    try {
      stats = statSync(journalPath);
    } catch {
      return undefined;
    }
    let scan = scans.get(journalPath);
    if (!scan || stats.size < scan.size) {
      scan = {
        offset: 0,
        size: 0,
        closedMs: 0,
        openAtMs: undefined,
        firstStartAt: undefined,
        uploadedRows: 0,
      };
      scans.set(journalPath, scan);
    }
    if (stats.size > scan.offset) readNewLines(journalPath, scan, stats.size);
    scan.size = stats.size;
    const openMs = scan.openAtMs === undefined ? 0 : Math.max(0, stats.mtimeMs - scan.openAtMs);
    return {
      activeMs: scan.closedMs + openMs,
      uploadedRows: scan.uploadedRows,
      sessionOpen: scan.openAtMs !== undefined,
      ...(scan.firstStartAt ? { firstStartAt: scan.firstStartAt } : {}),
    };
  };
}

/** Reads the complete lines written since `scan.offset` (a line still being written waits). */
function readNewLines(journalPath: string, scan: JournalScan, size: number): void {
  const descriptor = openSync(journalPath, 'r');
  try {
    let position = scan.offset;
    while (position < size) {
      const buffer = Buffer.alloc(Math.min(READ_BYTES, size - position));
      const read = readSync(descriptor, buffer, 0, buffer.length, position);
      if (read === 0) break;
      // A newline byte never occurs inside a UTF-8 character: cutting there is safe.
      const lastNewline = buffer.subarray(0, read).lastIndexOf(0x0a);
      if (lastNewline === -1) {
        // One line longer than a read (rejected rows carry their data): skip past it.
        if (read < READ_BYTES) break;
        position += read;
        continue;
      }
      for (const line of buffer.subarray(0, lastNewline).toString('utf8').split('\n')) {
        readMarker(line, scan);
      }
      position += lastNewline + 1;
      scan.offset = position;
    }
  } finally {
    closeSync(descriptor);
  }
}

/** Applies one journal line if it is a session marker or an upload (others are skipped unparsed). */
function readMarker(line: string, scan: JournalScan): void {
  if (line.startsWith('{"t":"uploaded"')) {
    scan.uploadedRows += uploadedCount(line);
    return;
  }
  if (!line.includes('"session"')) return;
  let record: { t?: unknown; event?: unknown; at?: unknown };
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    return;
  }
  if (record.t !== 'session' || typeof record.event !== 'string') return;
  if (typeof record.at !== 'string') return;
  const atMs = Date.parse(record.at);
  if (Number.isNaN(atMs)) return;
  if (OPENING.has(record.event)) {
    scan.firstStartAt ??= record.at;
    scan.openAtMs = atMs;
  } else if (CLOSING.has(record.event) && scan.openAtMs !== undefined) {
    scan.closedMs += Math.max(0, atMs - scan.openAtMs);
    scan.openAtMs = undefined;
  }
}

/** Rows in an `uploaded` line's inclusive ranges. */
function uploadedCount(line: string): number {
  try {
    const record = JSON.parse(line) as { rows?: unknown };
    if (!Array.isArray(record.rows)) return 0;
    let count = 0;
    for (const range of record.rows as unknown[]) {
      if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') {
        count += range[1] - range[0] + 1;
      }
    }
    return count;
  } catch {
    return 0;
  }
}
