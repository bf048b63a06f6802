import {
  createContext,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useApi } from '../../api/context';
import { RunsStore, type RunEntry } from './runs-store';

const RunsContext = createContext<RunsStore | undefined>(undefined);

/** Holds the app's one runs store for as long as the window lives. */
export function RunsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [store] = useState(() => new RunsStore(api));
  useEffect(() => store.start(), [store]);
  return <RunsContext.Provider value={store}>{children}</RunsContext.Provider>;
}

/** The runs store (to start following a run, or to name it). */
export function useRunsStore(): RunsStore {
  const store = useContext(RunsContext);
  if (!store) throw new Error('useRunsStore must be used inside <RunsProvider>');
  return store;
}

/** One run, kept up to date (at most four re-renders a second); loads it on first use. */
export function useRun(runId: string | undefined): RunEntry | undefined {
  const store = useRunsStore();
  useEffect(() => {
    if (runId) store.ensure(runId);
  }, [store, runId]);
  return useSyncExternalStore(store.subscribe, () => (runId ? store.get(runId) : undefined));
}

/** Ids of the runs going or paused in this app, newest first. */
export function useLiveRunIds(): readonly string[] {
  const store = useRunsStore();
  return useSyncExternalStore(store.subscribe, store.live);
}
