import type { FailureDetail } from '../../contract/runs';

/**
 * The lines of `journal.ndjson`, one JSON object per line, append-only. Row numbers are
 * stored as inclusive ranges to keep acknowledgement lines short. The latest outcome of a row
 * wins (a `retry` of failed rows turns them into `uploaded` later in the file). Nothing is ever
 * rewritten: an unskip appends the row's earlier `failed` or `rejected` record again, under a
 * batch id `unskip-<ms>` (docs/ARCHITECTURE.md, Skip, unskip and removing a run), so a journal
 * an older Sluice reads still adds up.
 */
export type JournalRecord =
  | { t: 'dispatch'; batch: string; rows: RowRanges; attempt: number }
  | { t: 'uploaded'; batch: string; rows: RowRanges }
  | { t: 'rejected'; batch: string; rows: SettledRow[] }
  | { t: 'failed'; batch: string; rows: SettledRow[] }
  | { t: 'skipped'; rows: SettledRow[] }
  | {
      t: 'session';
      event: 'start' | 'resume' | 'retry' | 'pause' | 'end';
      at: string;
      rowsRead?: number;
      state?: string;
    };

/** Inclusive `[first, last]` row-number ranges. */
export type RowRanges = Array<[number, number]>;

/** A row that ended rejected, failed or skipped, with what a consultant needs to fix it. */
export interface SettledRow extends FailureDetail {
  row: number;
  contactId?: string;
  data?: Record<string, string>;
}

/** Compresses row numbers into sorted inclusive ranges. */
export function toRanges(rowNumbers: readonly number[]): RowRanges {
  // a batch's rows are in source order, so every dispatch and acknowledgement line would copy
  // and sort a list that is already ascending: only one that is not is sorted
  const sorted = isAscending(rowNumbers) ? rowNumbers : [...rowNumbers].sort((a, b) => a - b);
  const ranges: RowRanges = [];
  for (const row of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && row === last[1] + 1) last[1] = row;
    else if (!last || row > last[1]) ranges.push([row, row]);
  }
  return ranges;
}

function isAscending(rowNumbers: readonly number[]): boolean {
  for (let i = 1; i < rowNumbers.length; i += 1)
    if ((rowNumbers[i] as number) < (rowNumbers[i - 1] as number)) return false;
  return true;
}

/** Expands ranges back into row numbers. */
export function fromRanges(ranges: RowRanges): number[] {
  const rows: number[] = [];
  for (const [first, last] of ranges) for (let row = first; row <= last; row += 1) rows.push(row);
  return rows;
}
