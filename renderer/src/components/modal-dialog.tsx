import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';

/** What can take the keyboard inside a dialog, in Tab order. */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The app's one in-page question (docs/ARCHITECTURE.md, Dialogs): a native `<dialog>` opened
 * modal, so the page behind is inert and screen readers hear a dialog. It takes the focus when it
 * opens (on itself, so the question is read first), keeps Tab and Shift+Tab inside, answers
 * Escape with `onCancel` (not while `busy`), and gives the keyboard back to what had it before
 * (or to `returnFocus()` when that is gone) when it closes. Yes/no questions use it through
 * `useConfirm` (confirm-dialog.tsx); a question that shows facts uses it directly.
 */
export function ModalDialog({
  labelledBy,
  role = 'dialog',
  busy = false,
  onCancel,
  returnFocus,
  className = 'confirm',
  testId,
  children,
}: {
  /** Id of the heading that names the dialog. */
  labelledBy: string;
  /** `alertdialog` for a question about something that cannot be taken back easily. */
  role?: 'dialog' | 'alertdialog';
  busy?: boolean;
  onCancel: () => void;
  /** Where the keyboard goes on close when the element that opened the dialog is gone. */
  returnFocus?: () => HTMLElement | null | undefined;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  // The latest props, for the close-time effect that runs once.
  const latest = useRef({ onCancel, returnFocus, busy });
  useEffect(() => {
    latest.current = { onCancel, returnFocus, busy };
  });

  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
    element.focus({ preventScroll: true });
    return () => {
      if (element.open) element.close();
      const target = opener?.isConnected ? opener : latest.current.returnFocus?.();
      // after React has put the page back together
      requestAnimationFrame(() => target?.focus());
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className={className}
      role={role}
      aria-modal="true"
      aria-labelledby={labelledBy}
      tabIndex={-1}
      data-testid={testId}
      onCancel={(event) => {
        // Escape: the dialog stays until its owner says otherwise ("Not now" unless busy).
        event.preventDefault();
        if (!latest.current.busy) latest.current.onCancel();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          if (!busy) onCancel();
          return;
        }
        if (event.key !== 'Tab') return;
        const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        if (!first || !last) {
          event.preventDefault();
          return;
        }
        const active = document.activeElement;
        if (event.shiftKey && (active === first || active === event.currentTarget)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && active === last) {
          event.preventDefault();
          first.focus();
        }
      }}
    >
      {children}
    </dialog>
  );
}
