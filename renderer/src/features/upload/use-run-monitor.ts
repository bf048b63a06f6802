import { useEffect, useState } from 'react';
import type { BatchEvent, RunMetrics, RunSummary } from '../../../../core/contract';
import { useApi } from '../../api/context';

/** One point of the live chart, taken from a metrics tick. */
export interface MetricsPoint {
  seconds: number;
  rowsPerSecond: number;
  throttled: number;
  pacingRatePerSecond: number;
}

const MAX_POINTS = 600;
const MAX_INCIDENTS = 8;

/**
 * Follows one run live: its latest metrics tick, a rolling history for the chart (≤ 600 points)
 * its summary each time a session ends (completed, paused, cancelled or stopped), and the
 * latest batches that needed attention.
 */
export function useRunMonitor(runId: string | undefined) {
  const api = useApi();
  const [metrics, setMetrics] = useState<RunMetrics>();
  const [history, setHistory] = useState<MetricsPoint[]>([]);
  const [summary, setSummary] = useState<RunSummary>();
  const [incidents, setIncidents] = useState<BatchEvent[]>([]);

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
    // Batches that did not simply upload: retries (429, 5xx, network), splits, rejections.
    const stopBatches = api.on('runs:batch', (batch) => {
      if (batch.runId !== runId || batch.outcome === 'uploaded') return;
      setIncidents((current) => [batch, ...current].slice(0, MAX_INCIDENTS));
    });
    return () => {
      stopMetrics();
      stopFinished();
      stopBatches();
    };
  }, [api, runId]);

  return { metrics, history, summary, incidents, clearSummary: () => setSummary(undefined) };
}
