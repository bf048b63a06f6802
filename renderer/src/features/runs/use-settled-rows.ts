import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  RowOutcomeFilter,
  SettledRowShape,
  SettledRowsFacet,
  SettledRowsFilter,
} from '../../../../core/contract';
import { useApi } from '../../api/context';
import { messageOf } from '../../components/error-text';

/** Rows per request: a screenful or two, so the first rows show as soon as one page arrives. */
const PAGE_ROWS = 200;

interface PagedState {
  key: string;
  pages: ReadonlyMap<number, SettledRowShape[]>;
  total: number;
  outcomeTotal: number;
  facets: { statuses: SettledRowsFacet; codes: SettledRowsFacet };
  firstPageLoaded: boolean;
  error?: string;
}

const emptyFacets = { statuses: [], codes: [] };

/**
 * The rows of one outcome of a run that pass `filter`, read from the host a page at a time as
 * the table scrolls to them: 100,000 rows never cross IPC at once, and a filter is applied by
 * the host, which answers with the first page and the counts. `rowAt` is undefined for a row
 * whose page has not arrived yet; `showRange` asks for the pages of the rows in sight.
 */
export function useSettledRows(
  runId: string | undefined,
  outcome: RowOutcomeFilter,
  filter: SettledRowsFilter,
) {
  const api = useApi();
  const [generation, setGeneration] = useState(0);
  const key = `${runId}|${outcome}|${JSON.stringify(filter)}|${generation}`;
  const [state, setState] = useState<PagedState>({
    key: '',
    pages: new Map(),
    total: 0,
    outcomeTotal: 0,
    facets: emptyFacets,
    firstPageLoaded: false,
  });
  // Pages asked for under the current key, so a scroll does not ask twice for the same page.
  const requested = useRef<{ key: string; pages: Set<number> }>({ key: '', pages: new Set() });
  // An answer for a run, outcome or filter no longer shown is dropped.
  const latestKey = useRef(key);
  useEffect(() => {
    latestKey.current = key;
  }, [key]);

  const loadPage = useCallback(
    (pageIndex: number) => {
      if (!runId) return;
      if (requested.current.key !== key) requested.current = { key, pages: new Set() };
      if (requested.current.pages.has(pageIndex)) return;
      requested.current.pages.add(pageIndex);
      api
        .invoke('runs:rows', {
          runId,
          outcome,
          offset: pageIndex * PAGE_ROWS,
          limit: PAGE_ROWS,
          filter,
        })
        .then(
          (page) =>
            setState((current) => {
              if (latestKey.current !== key) return current;
              // Keep what was shown until the new answer comes, so a filter does not blank the table.
              const pages = new Map(current.key === key ? current.pages : []);
              pages.set(pageIndex, page.rows);
              return {
                key,
                pages,
                total: page.total,
                outcomeTotal: page.outcomeTotal,
                facets: page.facets,
                firstPageLoaded: true,
              };
            }),
          (caught: unknown) =>
            setState((current) =>
              latestKey.current === key
                ? { ...current, key, firstPageLoaded: true, error: messageOf(caught) }
                : current,
            ),
        );
    },
    [api, runId, outcome, filter, key],
  );

  useEffect(() => loadPage(0), [loadPage]);
  const showRange = useCallback(
    (first: number, last: number) => {
      for (
        let page = Math.floor(first / PAGE_ROWS);
        page <= Math.floor(last / PAGE_ROWS);
        page += 1
      )
        loadPage(page);
    },
    [loadPage],
  );

  const current = state.key.startsWith(`${runId}|${outcome}|`) ? state : undefined;
  const fresh = state.key === key;
  const pages = current?.pages;
  return {
    /** Rows that pass the filter (all rows of the outcome without one). */
    total: current?.total ?? 0,
    /** Rows of the outcome, whatever the filter. */
    outcomeTotal: current?.outcomeTotal ?? 0,
    facets: current?.facets ?? emptyFacets,
    error: fresh ? state.error : undefined,
    rowAt: (index: number) => pages?.get(Math.floor(index / PAGE_ROWS))?.[index % PAGE_ROWS],
    /** Asks for the pages holding rows `first` to `last` (indexes in the filtered list). */
    showRange,
    /** Whether counts for this run and outcome are known (those of the last filter meanwhile). */
    shown: current !== undefined && current.firstPageLoaded,
    /** Every row number that passes the filter, read a thousand at a time (for "choose all"). */
    allRowNumbers: async () => {
      const numbers: number[] = [];
      if (!runId) return numbers;
      for (;;) {
        const page = await api.invoke('runs:rows', {
          runId,
          outcome,
          offset: numbers.length,
          limit: 1000,
          filter,
        });
        numbers.push(...page.rows.map((row) => row.row));
        if (page.rows.length === 0 || numbers.length >= page.total) return numbers;
      }
    },
    reload: () => setGeneration((value) => value + 1),
  };
}
