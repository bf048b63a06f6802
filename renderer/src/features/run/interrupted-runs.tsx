import { useState } from 'react';
import { useApi, useCall } from '../../api/context';
import { ErrorText, messageOf } from '../../components/error-text';
import { openRun, runHref } from '../../routing';

/**
 * At launch: runs that were going when the app or the command line stopped (their summary still
 * says running, and no session of this app has them) are offered for resume in one click, with
 * their accounting so far. The journal makes a resume send only what was not acknowledged.
 */
export function InterruptedRuns() {
  const api = useApi();
  const runs = useCall('runs:list', {});
  const live = useCall('runs:live', {});
  const candidates = (runs.data ?? []).filter(
    (run) => run.state === 'running' || run.state === 'pausing' || run.state === 'created',
  );
  const ids = candidates.map((run) => run.runId);
  const facts = useCall('runs:facts', { runIds: ids }, ids.join('|'));
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [openedAt] = useState(() => Date.now());
  const [error, setError] = useState<string>();
  if (!runs.data || !live.data || !facts.data) return null;
  const liveIds = new Set(live.data.map((run) => run.runId));
  // A journal written in the last minute belongs to a run going on elsewhere (the command line).
  const busyElsewhere = (runId: string) => {
    const written = facts.data?.find((fact) => fact.runId === runId)?.journalUpdatedAt;
    return written !== undefined && openedAt - Date.parse(written) < 60_000;
  };
  const interrupted = candidates.filter(
    (run) => !liveIds.has(run.runId) && !dismissed.has(run.runId) && !busyElsewhere(run.runId),
  );
  if (interrupted.length === 0) return null;

  const resume = async (runId: string) => {
    setError(undefined);
    try {
      await api.invoke('runs:resume', { runId });
      setDismissed((current) => new Set([...current, runId]));
      openRun(runId);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <section className="notice interrupted" aria-label="Interrupted runs">
      <strong>
        {interrupted.length === 1
          ? 'A run was interrupted'
          : `${interrupted.length} runs were interrupted`}{' '}
        when Sluice last stopped.
      </strong>{' '}
      Resuming sends only the rows that were not acknowledged.
      <ul>
        {interrupted.map((run) => (
          <li key={run.runId}>
            <a href={runHref(run.runId)}>{run.contactListName ?? run.contactListId}</a> on{' '}
            {run.orgName} · {run.rowsRead.toLocaleString()} rows read,{' '}
            {run.uploaded.toLocaleString()} uploaded, {run.rejected.toLocaleString()} rejected,{' '}
            {run.failed.toLocaleString()} failed{' '}
            <button type="button" className="primary" onClick={() => void resume(run.runId)}>
              Resume
            </button>{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => setDismissed((current) => new Set([...current, run.runId]))}
            >
              Not now
            </button>
          </li>
        ))}
      </ul>
      <ErrorText error={error} />
    </section>
  );
}
