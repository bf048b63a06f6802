import { runHref } from '../../routing';
import { accountingFromEntry } from './accounting';
import { stateOf } from './runs-store';
import { useLiveRunIds, useRun } from './runs-context';

function LiveRunLink({ runId, current }: { runId: string; current: boolean }) {
  const entry = useRun(runId);
  const state = stateOf(entry);
  const summaryIsCurrent =
    entry?.summary !== undefined && (entry.summarySeq ?? 0) >= (entry.latestSeq ?? 0);
  const accounting = state
    ? accountingFromEntry(state, entry?.latest, entry?.summary, summaryIsCurrent)
    : undefined;
  const settled = accounting ? accounting.rowsRead - accounting.pending : 0;
  const total = entry?.latest?.totalRows ?? accounting?.rowsRead ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((settled / total) * 100)) : 0;
  const name = entry?.contactListName ?? runId;
  return (
    <li>
      <a
        href={runHref(runId)}
        aria-current={current ? 'page' : undefined}
        className="live-run"
        title={runId}
      >
        <span className="live-run-name">{name}</span>
        <span className="live-run-detail muted">
          {entry?.orgName ? `${entry.orgName} · ` : ''}
          {entry?.elsewhere
            ? `${entry.elsewhere.uploaded.toLocaleString()} uploaded`
            : `${state ?? '…'} · ${percent}%`}
        </span>
        {entry?.elsewhere ? (
          <span className="badge badge-elsewhere" title="Started from the command line">
            running elsewhere
          </span>
        ) : (
          <span className="live-run-track" aria-hidden="true">
            <span className="live-run-fill" style={{ width: `${percent}%` }} />
          </span>
        )}
      </a>
    </li>
  );
}

/** The runs going or paused right now, each a link to its own view with its progress. */
export function LiveRunsNav({ currentRunId }: { currentRunId?: string }) {
  const ids = useLiveRunIds();
  if (ids.length === 0) return null;
  return (
    <section className="live-runs" aria-label="Live runs">
      <h2>Live runs</h2>
      <ul>
        {ids.map((runId) => (
          <LiveRunLink key={runId} runId={runId} current={runId === currentRunId} />
        ))}
      </ul>
    </section>
  );
}
