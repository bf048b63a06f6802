import { useState } from 'react';
import { useApi, useCall } from '../../api/context';
import { ErrorText, messageOf } from '../../components/error-text';
import { useConfirm } from '../../components/confirm-dialog';
import { openRun, runHref } from '../../routing';
import { countOf } from '../../../../core/text/count';

/**
 * At launch: runs that did not finish when the app or the command line stopped (interrupted:
 * the summary still says running; or paused, as a clean shutdown leaves them) and that no
 * session of this app holds are offered for resume in one click, with their accounting so far. The journal makes a resume send only what was not acknowledged.
 */
export function InterruptedRuns() {
  const api = useApi();
  const confirm = useConfirm();
  const runs = useCall('runs:list', {});
  const live = useCall('runs:live', {});
  const candidates = (runs.data ?? []).filter(
    (run) =>
      run.state === 'running' ||
      run.state === 'pausing' ||
      run.state === 'created' ||
      run.state === 'paused',
  );
  const ids = candidates.map((run) => run.runId);
  const facts = useCall('runs:facts', { runIds: ids }, ids.join('|'));
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [openedAt] = useState(() => Date.now());
  const [error, setError] = useState<string>();
  if (!runs.data || !live.data || !facts.data) return null;
  const liveIds = new Set(live.data.map((run) => run.runId));
  // A journal written in the last minute may belong to a run going on elsewhere (the command
  // line): it is still offered, but the consultant is asked first.
  const recentlyWritten = (runId: string) => {
    const written = facts.data?.find((fact) => fact.runId === runId)?.journalUpdatedAt;
    return written !== undefined && openedAt - Date.parse(written) < 60_000;
  };
  const interrupted = candidates.filter(
    (run) => !liveIds.has(run.runId) && !dismissed.has(run.runId),
  );
  if (interrupted.length === 0) return null;

  const resume = async (runId: string) => {
    if (
      recentlyWritten(runId) &&
      !(await confirm({
        title: 'Resume this run here?',
        detail:
          'It was still writing its journal less than a minute ago. If the command line is still running it, resuming here too would send its rows twice (same ids, so no duplicates, but twice the calls).',
        confirmLabel: 'Resume here',
      }))
    )
      return;
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
          ? 'A run did not finish'
          : `${interrupted.length} runs did not finish`}{' '}
        when Sluice or the command line last stopped.
      </strong>{' '}
      Resuming sends only the rows that were not acknowledged.
      <ul>
        {interrupted.map((run) => (
          <li key={run.runId}>
            <a href={runHref(run.runId)}>{run.contactListName ?? run.contactListId}</a> on{' '}
            {run.orgName} · {run.state === 'paused' ? 'paused' : 'interrupted'} ·{' '}
            {countOf(run.rowsRead, 'row')} read, {run.uploaded.toLocaleString()} uploaded,{' '}
            {run.rejected.toLocaleString()} rejected, {run.failed.toLocaleString()} failed
            {recentlyWritten(run.runId) && (
              <span className="muted">
                {' '}
                · written less than a minute ago (still running elsewhere?)
              </span>
            )}{' '}
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
