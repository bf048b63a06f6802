import { useState } from 'react';
import { useApi } from '../../api/context';
import { ErrorText, messageOf } from '../../components/error-text';
import { ProgressBar } from '../../components/progress-bar';
import { MetricsCards } from './metrics-cards';
import { RunSummaryCard } from './run-summary-card';
import { IncidentList } from './incident-list';
import { ThroughputChart } from './throughput-chart';
import { useRunMonitor } from './use-run-monitor';

/** A run in progress: live numbers and chart, Pause / Resume / Cancel, then its summary. */
export function RunPanel({ runId, canPause = true }: { runId: string; canPause?: boolean }) {
  const api = useApi();
  const { metrics, history, summary, incidents, clearSummary } = useRunMonitor(runId);
  const [error, setError] = useState<string>();
  const state = summary?.state ?? metrics?.state ?? 'running';
  const settled = metrics
    ? metrics.uploaded + metrics.rejected + metrics.failed + metrics.skipped
    : 0;

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const cancel = () => {
    if (
      window.confirm(
        'Cancel this run? Rows not yet acknowledged will be recorded as failed; you can retry them later.',
      )
    ) {
      void act(() => api.invoke('runs:cancel', { runId }));
    }
  };

  return (
    <section className="step" aria-labelledby="run-title">
      <h2 id="run-title">
        Run {runId} · <span data-testid="run-state">{state}</span>
      </h2>
      <div className="actions">
        {canPause && (state === 'running' || state === 'pausing') && (
          <button
            type="button"
            disabled={state === 'pausing'}
            onClick={() => void act(() => api.invoke('runs:pause', { runId }))}
          >
            Pause
          </button>
        )}
        {state === 'paused' && (
          <button
            type="button"
            className="primary"
            onClick={() =>
              void act(async () => {
                clearSummary();
                await api.invoke('runs:resume', { runId });
              })
            }
          >
            Resume
          </button>
        )}
        {(state === 'running' || state === 'paused') && (
          <button type="button" onClick={cancel}>
            Cancel run…
          </button>
        )}
      </div>
      <ErrorText error={error} />
      {metrics && (
        <ProgressBar
          label="Rows settled"
          value={settled}
          max={Math.max(metrics.rowsRead, 1)}
          detail={`${settled.toLocaleString()} of ${metrics.rowsRead.toLocaleString()} rows read`}
        />
      )}
      {metrics && <MetricsCards metrics={metrics} />}
      <ThroughputChart points={history} />
      {incidents.length > 0 && <IncidentList incidents={incidents} />}
      {summary && <RunSummaryCard summary={summary} />}
    </section>
  );
}
