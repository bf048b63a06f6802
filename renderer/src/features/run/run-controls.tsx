import type { RunSummary } from '../../../../core/contract';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/error-text';
import { useBusyAction } from '../../components/use-busy-action';

/**
 * Pause, Resume and Cancel for one run, wherever it is shown (its view, History). A bulk import
 * cannot pause; `strategy` hides the button when known.
 */
export function RunControls({
  runId,
  state,
  strategy,
  compact = false,
}: {
  runId: string;
  state: RunSummary['state'] | undefined;
  strategy?: RunSummary['strategy'];
  compact?: boolean;
}) {
  const api = useApi();
  const { busy, error, run: act } = useBusyAction();
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
    <>
      <div className="actions run-controls">
        {strategy !== 'import' && (state === 'running' || state === 'pausing') && (
          <button
            type="button"
            disabled={busy || state === 'pausing'}
            onClick={() => void act(() => api.invoke('runs:pause', { runId }))}
          >
            Pause
          </button>
        )}
        {state === 'paused' && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void act(() => api.invoke('runs:resume', { runId }))}
          >
            Resume
          </button>
        )}
        {(state === 'running' || state === 'paused') && (
          <button type="button" disabled={busy} onClick={cancel}>
            {compact ? 'Cancel…' : 'Cancel run…'}
          </button>
        )}
      </div>
      <ErrorText error={error} />
    </>
  );
}
