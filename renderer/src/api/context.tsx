import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ChannelName, RequestOf, ResponseOf, SluiceApi } from '../../../core/contract';

const ApiContext = createContext<SluiceApi | undefined>(undefined);

/** Makes the shell's API available to every screen. */
export function ApiProvider({ api, children }: { api: SluiceApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The typed contract API (`invoke`, `on`) for the current shell. */
export function useApi(): SluiceApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi must be used inside <ApiProvider>');
  return api;
}

/** State of one contract call made by a screen. */
export interface CallState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls a channel when the screen mounts (and when `key` changes) and tracks its state.
 * `request` is read at call time; pass a `key` that changes when the request does.
 */
export function useCall<C extends ChannelName>(
  channel: C,
  request: RequestOf<C>,
  key = '',
): CallState<ResponseOf<C>> {
  const api = useApi();
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const callKey = `${channel}|${key}|${generation}`;
  const [settled, setSettled] = useState<{
    callKey: string;
    data: ResponseOf<C> | undefined;
    error: string | undefined;
  }>({ callKey: '', data: undefined, error: undefined });

  useEffect(() => {
    let live = true;
    api.invoke(channel, request).then(
      (data) => live && setSettled({ callKey, data, error: undefined }),
      (error: unknown) =>
        live &&
        setSettled({
          callKey,
          data: undefined,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => {
      live = false;
    };
    // The request object is re-created on every render; `key` says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, callKey]);

  // While a new call runs, the previous data stays visible and `loading` says it is stale.
  return { data: settled.data, error: settled.error, loading: settled.callKey !== callKey, reload };
}
