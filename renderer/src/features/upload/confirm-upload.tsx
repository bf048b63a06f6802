import { ModalDialog } from '../../components/modal-dialog';
import type { FileCheck } from '../../../../core/contract';
import type { UploadTarget } from '../orgs/org-list-picker';
import type { RunOptions } from './run-options';
import { countOf } from '../../../../core/text/count';

/**
 * The last look before writing to a customer's org: which org and list, how many rows go and
 * how many will be rejected, the strategy, and what happens to contacts already in the queue.
 */
export function ConfirmUpload({
  orgName,
  target,
  check,
  options,
  busy,
  onConfirm,
  onCancel,
}: {
  orgName: string;
  target: UploadTarget;
  check: FileCheck;
  options: RunOptions;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  // A modal question (the shared ModalDialog): it takes the keyboard, keeps Tab inside until it
  // is answered, Escape answers "Not now", and the keyboard goes back to Start upload….
  return (
    <ModalDialog labelledBy="confirm-title" busy={busy} onCancel={onCancel}>
      <h3 id="confirm-title">Write to {orgName}?</h3>
      <dl className="confirm-facts">
        <dt>Org</dt>
        <dd>{orgName}</dd>
        <dt>Contact list</dt>
        <dd>{target.listName}</dd>
        <dt>Rows to send</dt>
        <dd data-testid="confirm-send">{check.clean.toLocaleString()}</dd>
        <dt>Rows that will be rejected</dt>
        <dd data-testid="confirm-reject">{check.rejected.toLocaleString()}</dd>
        {check.warned > 0 && (
          <>
            <dt>Rows sent with a warning</dt>
            <dd data-testid="confirm-warned">
              {check.warned.toLocaleString()}{' '}
              <span className="confirm-note">
                (see the check: unreachable contacts or formula-like cells)
              </span>
            </dd>
          </>
        )}
        <dt>Strategy</dt>
        <dd>
          {options.strategy === 'contacts'
            ? `Contacts API, ${options.batchSize.toLocaleString()} per request, ${options.headroomPercent}% headroom`
            : 'Bulk import (one upload, no per-row results)'}
        </dd>
        <dt>Dialing queue</dt>
        <dd data-testid="confirm-queue">{queueBehaviour(options)}</dd>
      </dl>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onConfirm}>
          {busy ? 'Starting…' : `Send ${countOf(check.clean, 'row')}`}
        </button>
        <button type="button" onClick={onCancel}>
          Not now
        </button>
      </div>
    </ModalDialog>
  );
}

/** What the run does to contacts the list already holds, in the consultant's words. */
function queueBehaviour(options: RunOptions): string {
  const parts = [
    options.strategy === 'contacts' && options.requeueUpdated
      ? `Updated contacts are re-queued${options.priority ? ' at the front' : ''}: a dialer may call them again`
      : 'Updated contacts keep their place in the dialing queue: nobody already dialed is called again',
  ];
  if (options.clearSystemData) parts.push('their call attempts and results are cleared');
  return `${parts.join('; ')}.`;
}
