import { useEffect, useState } from 'react';
import type { RowOutcomeFilter, SettledRowShape } from '../../../../core/contract';
import { useApi } from '../../api/context';
import { messageOf } from '../../components/error-text';

const PAGE_ROWS = 1000;

/** Every row of one outcome of a run, fetched a thousand at a time, with a reload. */
export function useSettledRows(runId: string | undefined, outcome: RowOutcomeFilter) {
  const api = useApi();
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{
    key: string;
    rows: SettledRowShape[];
    total: number;
    done: boolean;
    error?: string;
  }>({ key: '', rows: [], total: 0, done: false });
  const key = `${runId}|${outcome}|${generation}`;

  useEffect(() => {
    if (!runId) return;
    let live = true;
    const load = async () => {
      const rows: SettledRowShape[] = [];
      let total = Infinity;
      try {
        while (live && rows.length < total) {
          const page = await api.invoke('runs:rows', {
            runId,
            outcome,
            offset: rows.length,
            limit: PAGE_ROWS,
          });
          total = page.total;
          rows.push(...page.rows);
          if (page.rows.length === 0) break;
          if (live) setState({ key, rows: [...rows], total, done: rows.length >= total });
        }
        if (live) setState({ key, rows, total: rows.length, done: true });
      } catch (caught) {
        if (live) setState({ key, rows, total: rows.length, done: true, error: messageOf(caught) });
      }
    };
    void load();
    return () => {
      live = false;
    };
  }, [api, runId, outcome, key]);

  const current = state.key.startsWith(`${runId}|${outcome}|`) ? state : undefined;
  return {
    rows: current?.rows ?? [],
    total: current?.total ?? 0,
    loading: !current?.done || state.key !== key,
    error: current?.error,
    reload: () => setGeneration((value) => value + 1),
  };
}
