import { runRest, type RunSummary } from '../../../../core/contract';
import { runRestText } from '../../../../core/text/run-rest-text';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/error-text';
import { useConfirm } from '../../components/confirm-dialog';
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
 * file's row count when known. A cancelled or stopped run says what it never sent (rows read
 * before the cancel or stop and not stored, rows never read) and offers to send them.
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
  const confirm = useConfirm();
  const { busy, error, run: act } = useBusyAction();
  const live = isLiveState(summary.state);
  const accounting = accountingOf(summary, live ? undefined : summary.invariant);
  const rest = runRest(summary, fileRows);
  const restText = rest && runRestText(rest);
  // The rest goes as a resume of this run (docs/ARCHITECTURE.md, "Cancel and the rest of the
  // file"): the file is read from the top; rows the journal settled are not sent again, except
  // the ones the cancel or stop recorded as not stored, which go with the rows never read.
  const fixFirst =
    rest?.cause === 'stop' ? ' Fix what stopped the run first, or it stops again at once.' : '';
  const uploadRest = async () => {
    if (
      !restText ||
      !(await confirm({
        title: `Upload the ${restText.head}${listName ? ` to “${listName}”` : ''}?`,
        detail: `${restText.detail ? `${restText.detail[0]?.toUpperCase()}${restText.detail.slice(1)}. ` : ''}Each is sent once; rows already uploaded are not sent again.${restText.leftFailed ? ` ${restText.leftFailed}` : ''}${fixFirst}`,
        confirmLabel: 'Upload the rest',
      }))
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
      {restText && (
        <div data-testid="run-rest">
          <p>
            <strong>{restText.head}</strong>
            {restText.detail ? `: ${restText.detail}` : ''}. Upload the rest sends them, each once;
            rows already uploaded are not sent again.
            {restText.leftFailed && <> {restText.leftFailed}</>}
            {fixFirst}
          </p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void uploadRest()}
            >
              Upload the rest…
            </button>
          </div>
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
