import { useEffect, useRef } from 'react';
import { useApi } from '../../api/context';

/**
 * Calls `onChange` when any run ends a session, and at most every `intervalMs` while runs tick,
 * so lists of runs stay current without a Refresh button.
 */
export function useRunsChanged(onChange: () => void, intervalMs = 2000): void {
  const api = useApi();
  const callback = useRef(onChange);
  useEffect(() => {
    callback.current = onChange;
  });
  useEffect(() => {
    let last = 0;
    const stopFinished = api.on('runs:finished', () => callback.current());
    const stopMetrics = api.on('runs:metrics', () => {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      callback.current();
    });
    return () => {
      stopFinished();
      stopMetrics();
    };
  }, [api, intervalMs]);
}
