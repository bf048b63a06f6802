import { rowsNotRead, type RunSummary } from '../../../../core/contract';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/error-text';
import { useBusyAction } from '../../components/use-busy-action';
import { accountingOf } from './accounting';
import { AccountingLine } from './accounting-line';
import { isLiveState } from './runs-store';

const stateText: Record<RunSummary['state'], string> = {
  created: 'Created',
  running: 'Running',
  pausing: 'Pausing…',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
  stopped: 'Stopped',
};

/**
 * A finished (or paused) session: the row accounting, and where to go next. `fileRows` is the
 * file's row count when known: a cancelled run then says how many rows it never read, and offers
 * to send them.
 */
export function RunSummaryCard({
  summary,
  fileRows,
  listName,
}: {
  summary: RunSummary;
  fileRows?: number | undefined;
  listName?: string | undefined;
}) {
  const api = useApi();
  const { busy, error, run: act } = useBusyAction();
  const live = isLiveState(summary.state);
  const accounting = accountingOf(summary, live ? undefined : summary.invariant);
  const notRead = rowsNotRead(summary, fileRows);
  // A bulk import's rows settle together; only a contacts run continues from its journal.
  const resumable = summary.strategy !== 'import';
  const n = (value: number) => value.toLocaleString();
  const rows = (count: number) => `${n(count)} ${count === 1 ? 'row' : 'rows'}`;
  // The rest goes as a resume of this run (docs/ARCHITECTURE.md, "Why the journal survives a
  // crash"): the file is read from the top and rows the journal settled are never sent again,
  // so only the rows never read are sent; the failed ones stay for a retry.
  const uploadRest = () => {
    if (
      notRead === undefined ||
      !window.confirm(
        `Upload the ${rows(notRead)} of the file not read${listName ? ` into “${listName}”` : ''}? Rows this run already read are not sent again${
          summary.failed > 0
            ? `; its ${rows(summary.failed)} recorded as failed stay in Failures for a retry`
            : ''
        }.`,
      )
    )
      return;
    void act(() => api.invoke('runs:resume', { runId: summary.runId }));
  };
  return (
    <div className="summary" role="status" data-testid="run-summary">
      <p>
        <strong>{stateText[summary.state]}</strong>
        {summary.stateReason && <> — {summary.stateReason}</>}
      </p>
      <AccountingLine accounting={accounting} live={live} paused={summary.state === 'paused'} />
      {notRead !== undefined && (
        <div data-testid="run-not-read">
          <p>
            <strong>{rows(notRead)} of the file not read</strong> (the run was cancelled before it
            reached them).
            {resumable && (
              <> Upload the rest sends only those rows; the rows already read are not sent again.</>
            )}
          </p>
          {resumable && (
            <div className="actions">
              <button type="button" className="primary" disabled={busy} onClick={uploadRest}>
                Upload the rest…
              </button>
            </div>
          )}
          <ErrorText error={error} />
        </div>
      )}
      {accounting.mismatch && (
        <ul className="warnings">
          {summary.invariant.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <p className="muted">
        {summary.requests.toLocaleString()} {summary.requests === 1 ? 'request' : 'requests'} ·{' '}
        {summary.throttled.toLocaleString()} throttled (429) · {summary.retries.toLocaleString()}{' '}
        {summary.retries === 1 ? 'retry' : 'retries'} · {summary.contactsPerSecond.toFixed(1)}{' '}
        contacts/s
      </p>
      {summary.rejected + summary.failed > 0 && (
        <p>
          <a href={`#/failures?run=${encodeURIComponent(summary.runId)}`}>
            Inspect and retry the rows that did not upload
          </a>
        </p>
      )}
      <p className="muted">
        Journal and reports: <code>{summary.runDir}</code>
      </p>
    </div>
  );
}
