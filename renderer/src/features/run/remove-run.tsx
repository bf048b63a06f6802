import { useEffect, useRef, useState } from 'react';
import type { RunSummary } from '../../../../core/contract';
import { countOf } from '../../../../core/text/count';
import { useApi } from '../../api/context';
import { messageOf } from '../../components/error-text';
import { ModalDialog } from '../../components/modal-dialog';

/** How long History offers Undo after a run is removed, milliseconds (the host keeps it longer). */
export const REMOVE_UNDO_MS = 10_000;

/** What the confirmation names: the run and the facts History shows for it. */
export interface RunToRemove {
  summary: RunSummary;
  fileName?: string;
  listName?: string;
  createdAt?: string;
}

/**
 * "Remove from history…" asked as a modal question naming the run (file, list, when, counts).
 * A paused run says what is lost: it can no longer be resumed, and its unsent rows stay unsent.
 * Contacts already uploaded stay in the list either way.
 */
export function RemoveRunDialog({
  run,
  busy,
  onRemove,
  onCancel,
}: {
  run: RunToRemove;
  busy: boolean;
  onRemove: () => void;
  onCancel: () => void;
}) {
  const { summary } = run;
  return (
    <ModalDialog
      labelledBy="remove-run-title"
      role="alertdialog"
      busy={busy}
      onCancel={onCancel}
      testId="remove-run"
    >
      <h3 id="remove-run-title">Remove this run from History?</h3>
      <dl className="confirm-facts">
        <dt>File</dt>
        <dd>{run.fileName ?? '—'}</dd>
        <dt>Contact list</dt>
        <dd>
          {run.listName ?? summary.contactListId} · {summary.orgName}
        </dd>
        <dt>Started</dt>
        <dd>{new Date(run.createdAt ?? summary.startedAt).toLocaleString()}</dd>
        <dt>Rows</dt>
        <dd data-testid="remove-run-counts">
          {countOf(summary.rowsRead, 'row')} read: {summary.uploaded.toLocaleString()} uploaded,{' '}
          {summary.rejected.toLocaleString()} rejected, {summary.failed.toLocaleString()} failed,{' '}
          {summary.skipped.toLocaleString()} skipped
        </dd>
      </dl>
      <p>
        Its journal, row reports and exports in the run folder go with it.
        {summary.state === 'paused' &&
          ' It is paused: once removed it cannot be resumed, and the rows it has not sent are not sent.'}{' '}
        Contacts already uploaded stay in the contact list.
      </p>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onRemove}>
          {busy ? 'Removing…' : 'Remove from history'}
        </button>
        <button type="button" onClick={onCancel}>
          Keep it
        </button>
      </div>
    </ModalDialog>
  );
}

/**
 * History's removal: asks with `RemoveRunDialog`, removes, then offers Undo for
 * `REMOVE_UNDO_MS` (the keyboard goes to it). `onChanged` reloads the list.
 */
export function useRunRemoval(onChanged: () => void) {
  const api = useApi();
  const [asking, setAsking] = useState<RunToRemove>();
  const [busy, setBusy] = useState(false);
  const [removed, setRemoved] = useState<RunToRemove>();
  const [message, setMessage] = useState<string>();
  const undoButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!removed) return;
    // after the dialog gave the focus back to its (now gone) opener
    const frame = requestAnimationFrame(() => undoButton.current?.focus());
    const timer = setTimeout(() => setRemoved(undefined), REMOVE_UNDO_MS);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [removed]);

  const remove = async () => {
    if (!asking) return;
    setBusy(true);
    try {
      await api.invoke('runs:remove', { runId: asking.summary.runId });
      setMessage(`Removed the run of ${asking.fileName ?? asking.summary.runId} from History.`);
      setRemoved(asking);
      setAsking(undefined);
      onChanged();
    } catch (caught) {
      setMessage(messageOf(caught));
      setAsking(undefined);
    } finally {
      setBusy(false);
    }
  };

  const undo = async () => {
    if (!removed) return;
    const runId = removed.summary.runId;
    setRemoved(undefined);
    try {
      await api.invoke('runs:restoreRemoved', { runId });
      setMessage(`The run of ${removed.fileName ?? runId} is back in History.`);
      onChanged();
    } catch (caught) {
      setMessage(messageOf(caught));
    }
  };

  const view = (
    <>
      {asking && (
        <RemoveRunDialog
          run={asking}
          busy={busy}
          onRemove={() => void remove()}
          onCancel={() => setAsking(undefined)}
        />
      )}
      {/* The button sits beside the live region, not in it: a screen reader reads the message
          once, not the button's name with it each time the region changes. */}
      {message && (
        <div className="status-line">
          <p className="muted" role="status">
            {message}
          </p>
          {removed && (
            <button ref={undoButton} type="button" onClick={() => void undo()}>
              Undo
            </button>
          )}
        </div>
      )}
    </>
  );
  return { ask: setAsking, view };
}
