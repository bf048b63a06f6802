import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  ftruncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { RowOutcome } from '../types';
import { fromRanges, type JournalRecord, type SettledRow } from './journal-records';

/** File name of the journal inside a run folder. */
export const JOURNAL_FILE = 'journal.ndjson';

/**
 * Appends journal records. `record` buffers a line; `commit` writes the buffered lines and
 * fsyncs (called at batch boundaries: after an acknowledgement, a rejection, a failure).
 * A dispatch line is only buffered: it is informative, and resending an unacknowledged batch
 * is safe because contacts carry deterministic ids.
 */
export class JournalWriter {
  private buffered: string[] = [];

  private constructor(private fd: number | undefined) {}

  /**
   * Opens (or creates) the journal of `runDir` for appending. A line torn by a crash in the
   * middle of a write is cut off first, so the next record starts on a clean line.
   */
  static open(runDir: string): JournalWriter {
    const path = join(runDir, JOURNAL_FILE);
    if (existsSync(path)) {
      const text = readFileSync(path);
      const lastNewline = text.lastIndexOf(0x0a);
      const keep = lastNewline + 1;
      if (keep !== text.length) {
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, keep);
        fsyncSync(fd);
        closeSync(fd);
      }
    }
    return new JournalWriter(openSync(path, 'a'));
  }

  /** Buffers one record (written at the next `commit`). */
  record(entry: JournalRecord): void {
    this.buffered.push(`${JSON.stringify(entry)}\n`);
  }

  /** Writes buffered records and fsyncs: after this returns they survive a crash. */
  commit(): void {
    if (this.fd === undefined) throw new Error('The run journal is closed');
    if (this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    writeSync(this.fd, text);
    fsyncSync(this.fd);
  }

  /** Commits what is buffered and closes the file. */
  close(): void {
    if (this.fd === undefined) return;
    this.commit();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** What a journal says about a run: the settled rows and the details of the unhappy ones. */
export interface JournalState {
  /** Final outcome of every settled row (latest record wins). */
  outcomes: Map<number, RowOutcome>;
  /** Details of rejected, failed and skipped rows, by row number (only for the current outcome). */
  details: Map<number, SettledRow>;
  /**
   * What each row the consultant skipped was just before its latest skip (failed or rejected,
   * with that record's reason and data): an unskip appends it again. Rows the run itself skipped
   * (a repeated contact id) have no entry, so they cannot be unskipped into being sent twice.
   */
  beforeSkip: Map<number, { outcome: 'failed' | 'rejected'; detail: SettledRow }>;
  /** Highest `rowsRead` any session reported at its end. */
  rowsRead: number;
  /** Number of sessions (start, resume, retry) recorded. */
  sessions: number;
  /** Whether the file ended with a torn (partial) line, i.e. the last run was killed mid-write. */
  tornTail: boolean;
}

/** Replays `journal.ndjson` of `runDir` (an absent file is an empty journal). */
export function readJournal(runDir: string): JournalState {
  const path = join(runDir, JOURNAL_FILE);
  const state: JournalState = {
    outcomes: new Map(),
    details: new Map(),
    beforeSkip: new Map(),
    rowsRead: 0,
    sessions: 0,
    tornTail: false,
  };
  if (!existsSync(path)) return state;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop();
  if (last !== undefined && last !== '') state.tornTail = true;
  for (const line of lines) {
    if (line === '') continue;
    let entry: JournalRecord;
    try {
      entry = JSON.parse(line) as JournalRecord;
    } catch {
      throw new Error(`The run journal ${path} is damaged (a line in the middle is not JSON)`);
    }
    apply(state, entry);
  }
  return state;
}

function apply(state: JournalState, entry: JournalRecord): void {
  switch (entry.t) {
    case 'uploaded':
      for (const row of fromRanges(entry.rows)) {
        state.outcomes.set(row, 'uploaded');
        state.details.delete(row);
      }
      return;
    case 'skipped':
      for (const settled of entry.rows) {
        const outcome = state.outcomes.get(settled.row);
        const detail = state.details.get(settled.row);
        if ((outcome === 'failed' || outcome === 'rejected') && detail)
          state.beforeSkip.set(settled.row, { outcome, detail });
        state.outcomes.set(settled.row, 'skipped');
        state.details.set(settled.row, settled);
      }
      return;
    case 'rejected':
    case 'failed':
      for (const settled of entry.rows) {
        state.outcomes.set(settled.row, entry.t);
        state.details.set(settled.row, settled);
      }
      return;
    case 'session':
      if (entry.event !== 'end' && entry.event !== 'pause') state.sessions += 1;
      if (entry.rowsRead !== undefined) state.rowsRead = Math.max(state.rowsRead, entry.rowsRead);
      return;
    case 'dispatch':
      return;
  }
}
