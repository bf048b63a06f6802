import { useEffect, useRef } from 'react';
import type { RunSummary } from '../../../../core/contract';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/error-text';
import { useConfirm } from '../../components/confirm-dialog';
import { useBusyAction } from '../../components/use-busy-action';

/**
 * Pause, Resume and Cancel for one run, wherever it is shown (its view, History). A bulk import
 * cannot pause; `strategy` hides the button when known. `onGone` is told when the keyboard was
 * on these controls and the run ended under it (Cancel run…): no button is left to hold the
 * focus, so the caller gives it to what now says what happened.
 */
export function RunControls({
  runId,
  state,
  strategy,
  compact = false,
  onGone,
}: {
  runId: string;
  state: RunSummary['state'] | undefined;
  strategy?: RunSummary['strategy'];
  compact?: boolean;
  onGone?: () => void;
}) {
  const api = useApi();
  const confirm = useConfirm();
  const { busy, error, run: act } = useBusyAction();
  // Pause turns into Resume (and back) once the run answers, and the button pressed is
  // disabled meanwhile: focus would fall to the page's top. While the keyboard was here, the
  // button that replaces it takes the focus.
  const controls = useRef<HTMLDivElement>(null);
  const keyboardHere = useRef(false);
  // Cancel's question has the keyboard for a moment; it gives it back to Cancel when answered
  const asking = useRef(false);
  const cancel = async () => {
    asking.current = true;
    const yes = await confirm({
      title: 'Cancel this run?',
      detail:
        strategy === 'import'
          ? 'Before the file is sent, nothing reaches Genesys and “Upload the rest” can send it all later; once it is sent, Genesys may finish the import anyway and its rows are recorded as failed, for a retry.'
          : 'Requests already sent finish first. Rows not sent yet are recorded as failed until “Upload the rest” sends them; rows sent without a confirmed answer stay failed, for a retry.',
      confirmLabel: 'Cancel run',
      cancelLabel: 'Keep running',
      destructive: true,
    }).finally(() => {
      asking.current = false;
    });
    if (yes) void act(() => api.invoke('runs:cancel', { runId }));
  };
  useEffect(() => {
    const root = controls.current;
    if (!root || !keyboardHere.current) return;
    const active = document.activeElement;
    if (active && active !== document.body) {
      if (!root.contains(active)) keyboardHere.current = false;
      return;
    }
    const toggle = root.querySelector<HTMLButtonElement>('button[data-toggle]:not(:disabled)');
    if (toggle) {
      toggle.focus({ preventScroll: true });
    } else if (!root.querySelector('button') && onGone) {
      // Cancelled (or ended) with the keyboard here: every control is gone.
      keyboardHere.current = false;
      onGone();
    }
  }, [state, busy, onGone]);
  return (
    <>
      <div
        ref={controls}
        className="actions run-controls"
        onFocus={() => {
          keyboardHere.current = true;
        }}
        onBlur={(event) => {
          // Focus moved elsewhere on purpose; a button disabled or removed under it has no target.
          if (asking.current) return;
          if (event.relatedTarget && !controls.current?.contains(event.relatedTarget)) {
            keyboardHere.current = false;
          }
        }}
      >
        {strategy !== 'import' && (state === 'running' || state === 'pausing') && (
          <button
            type="button"
            data-toggle
            disabled={busy || state === 'pausing'}
            onClick={() => void act(() => api.invoke('runs:pause', { runId }))}
          >
            Pause
          </button>
        )}
        {state === 'paused' && (
          <button
            type="button"
            data-toggle
            className="primary"
            disabled={busy}
            onClick={() => void act(() => api.invoke('runs:resume', { runId }))}
          >
            Resume
          </button>
        )}
        {(state === 'running' || state === 'paused') && (
          <button type="button" disabled={busy} onClick={() => void cancel()}>
            {compact ? 'Cancel…' : 'Cancel run…'}
          </button>
        )}
      </div>
      <ErrorText error={error} />
    </>
  );
}
