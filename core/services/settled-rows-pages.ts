import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RowOutcomeFilter, SettledRowsFacet, SettledRowsFilter } from '../contract';
import { JOURNAL_FILE } from '../engine/journal/journal';
import type { SettledRow } from '../engine/journal/journal-records';
import type { RunFolder } from '../engine/run/run-folder';

/** One page of a run's rows of one outcome, as `runs:rows` answers it. */
export interface SettledRowsPage {
  rows: SettledRow[];
  total: number;
  outcomeTotal: number;
  facets: { statuses: SettledRowsFacet; codes: SettledRowsFacet };
}

interface OutcomeIndex {
  rows: SettledRow[];
  facets: SettledRowsPage['facets'];
  /** The last filter asked for and the rows it kept, so paging through a filter does not rescan. */
  lastFilter?: { key: string; rows: SettledRow[] };
}

interface RunIndex {
  /** Size and modification time of the journal when it was read: a change means read again. */
  stamp: string;
  outcomes: Map<RowOutcomeFilter, OutcomeIndex>;
}

/**
 * Runs kept in memory: the Failures screen looks at one run at a time. 100,000 rejected rows with
 * five columns of data hold about 40 MB of heap, so a few runs stay well within the host's means.
 */
const MAX_RUNS = 3;

/**
 * Pages of a run's failed, rejected or skipped rows, filtered on the host. The journal is read
 * once per change (not once per page), so a screen that pages through 100,000 rows, or filters
 * them, costs one read of the journal and then only the rows it shows.
 */
export class SettledRowsPages {
  private readonly runs = new Map<string, RunIndex>();

  /** Rows `offset` to `offset + limit` of those of `outcome` that pass `filter`, by row number. */
  page(
    folder: RunFolder,
    outcome: RowOutcomeFilter,
    offset: number,
    limit: number,
    filter?: SettledRowsFilter,
  ): SettledRowsPage {
    const index = this.outcomeIndex(folder, outcome);
    const matching = filtered(index, filter);
    return {
      rows: matching.slice(offset, offset + limit),
      total: matching.length,
      outcomeTotal: index.rows.length,
      facets: index.facets,
    };
  }

  /** Every row of `outcome` that passes `filter`, by row number (what an export of them writes). */
  matching(folder: RunFolder, outcome: RowOutcomeFilter, filter?: SettledRowsFilter): SettledRow[] {
    return filtered(this.outcomeIndex(folder, outcome), filter);
  }

  private outcomeIndex(folder: RunFolder, outcome: RowOutcomeFilter): OutcomeIndex {
    const stamp = journalStamp(folder.dir);
    let run = this.runs.get(folder.dir);
    if (!run || run.stamp !== stamp) {
      run = { stamp, outcomes: new Map() };
      this.runs.delete(folder.dir);
      this.runs.set(folder.dir, run);
      while (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
    }
    let index = run.outcomes.get(outcome);
    if (!index) {
      const rows = folder.settledRows(outcome);
      index = {
        rows,
        facets: {
          statuses: facet(rows.map((row) => String(row.status))),
          codes: facet(rows.map((row) => row.code ?? '')).filter((entry) => entry.value !== ''),
        },
      };
      run.outcomes.set(outcome, index);
    }
    return index;
  }
}

function journalStamp(runDir: string): string {
  try {
    const stat = statSync(join(runDir, JOURNAL_FILE));
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

function facet(values: readonly string[]): SettledRowsFacet {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([value, rows]) => ({ value, rows }));
}

function filtered(index: OutcomeIndex, filter: SettledRowsFilter | undefined): SettledRow[] {
  const text = (filter?.text ?? '').trim().toLowerCase();
  const status = filter?.status ?? '';
  const code = filter?.code ?? '';
  if (text === '' && status === '' && code === '') return index.rows;
  const key = JSON.stringify([status, code, text]);
  if (index.lastFilter?.key === key) return index.lastFilter.rows;
  const rows = index.rows.filter(
    (row) =>
      (status === '' || String(row.status) === status) &&
      (code === '' || (row.code ?? '') === code) &&
      (text === '' ||
        row.reason.toLowerCase().includes(text) ||
        String(row.row) === text ||
        Object.values(row.data ?? {}).some((value) => value.toLowerCase().includes(text))),
  );
  index.lastFilter = { key, rows };
  return rows;
}
