import { useEffect, useState } from 'react';
import type { RunMetrics, RunSummary } from '../../../../core/contract';
import { useApi } from '../../api/context';

/** One point of the live chart, taken from a metrics tick. */
export interface MetricsPoint {
  seconds: number;
  rowsPerSecond: number;
  throttled: number;
  pacingRatePerSecond: number;
}

const MAX_POINTS = 600;

/**
 * Follows one run live: its latest metrics tick, a rolling history for the chart (≤ 600 points)
 * and its summary each time a session ends (completed, paused, cancelled or stopped).
 */
export function useRunMonitor(runId: string | undefined) {
  const api = useApi();
  const [metrics, setMetrics] = useState<RunMetrics>();
  const [history, setHistory] = useState<MetricsPoint[]>([]);
  const [summary, setSummary] = useState<RunSummary>();

  useEffect(() => {
    if (!runId) return;
    const stopMetrics = api.on('runs:metrics', (tick) => {
      if (tick.runId !== runId) return;
      setMetrics(tick);
      setHistory((points) =>
        [
          ...points,
          {
            seconds: tick.elapsedMs / 1000,
            rowsPerSecond: tick.rowsPerSecond,
            throttled: tick.throttled,
            pacingRatePerSecond: tick.pacingRatePerSecond,
          },
        ].slice(-MAX_POINTS),
      );
    });
    const stopFinished = api.on('runs:finished', (finished) => {
      if (finished.runId === runId) setSummary(finished);
    });
    return () => {
      stopMetrics();
      stopFinished();
    };
  }, [api, runId]);

  return { metrics, history, summary, clearSummary: () => setSummary(undefined) };
}
