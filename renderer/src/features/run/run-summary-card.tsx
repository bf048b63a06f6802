import type { RunSummary } from '../../../../core/contract';
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

/** A finished (or paused) session: the row accounting, and where to go next. */
export function RunSummaryCard({ summary }: { summary: RunSummary }) {
  const live = isLiveState(summary.state);
  const accounting = accountingOf(summary, live ? undefined : summary.invariant);
  return (
    <div className="summary" role="status" data-testid="run-summary">
      <p>
        <strong>{stateText[summary.state]}</strong>
        {summary.stateReason && <> — {summary.stateReason}</>}
      </p>
      <AccountingLine accounting={accounting} live={live} paused={summary.state === 'paused'} />
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
