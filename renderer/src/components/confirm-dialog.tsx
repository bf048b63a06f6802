import {
  createContext,
  useCallback,
  useContext,
  useId,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { ModalDialog } from './modal-dialog';

/** A yes/no question (docs/ARCHITECTURE.md, "Dialogs"). */
export interface ConfirmQuestion {
  /** The question itself, the dialog's name: "Delete the saved mapping “CRM export”?" */
  title: string;
  /** What answering yes does, or what it leaves alone. */
  detail?: ReactNode;
  /** The yes button says what it does ("Delete", "Cancel run"), never just "OK". */
  confirmLabel: string;
  /** The no button (default "Not now"). */
  cancelLabel?: string;
  /** Yes destroys or gives something up: an alert dialog, its yes button marked as such. */
  destructive?: boolean;
}

/** Asks `question`; resolves true for yes, false for no (the no button, Escape). */
export type Confirm = (question: ConfirmQuestion) => Promise<boolean>;

const ConfirmContext = createContext<Confirm | undefined>(undefined);

interface Asking {
  question: ConfirmQuestion;
  answer: (yes: boolean) => void;
}

/**
 * Where the app's yes/no questions appear: one modal dialog at a time, over the page, in place
 * of `window.confirm` (whose native box names the browser or "Electron", not the app, cannot say
 * what its buttons do, and blocks the renderer while it is up). Keyboard and focus as every modal
 * of the app (ModalDialog): focus moves to the question, Tab stays inside, Escape is no, and the
 * keyboard goes back to the button that asked.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [asking, setAsking] = useState<Asking>();
  const open = useRef<Asking | undefined>(undefined);
  const titleId = useId();

  const confirm = useCallback<Confirm>(
    (question) =>
      new Promise<boolean>((resolve) => {
        // a second question while one is open: the first is answered no
        open.current?.answer(false);
        const entry: Asking = {
          question,
          answer: (yes) => {
            if (open.current === entry) {
              open.current = undefined;
              setAsking(undefined);
            }
            resolve(yes);
          },
        };
        open.current = entry;
        setAsking(entry);
      }),
    [],
  );

  const question = asking?.question;
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      {asking &&
        question &&
        createPortal(
          <ModalDialog
            labelledBy={titleId}
            role={question.destructive ? 'alertdialog' : 'dialog'}
            onCancel={() => asking.answer(false)}
            testId="confirm-question"
          >
            <h3 id={titleId}>{question.title}</h3>
            {question.detail !== undefined && <p>{question.detail}</p>}
            <div className="actions">
              <button
                type="button"
                className={question.destructive ? 'primary danger' : 'primary'}
                onClick={() => asking.answer(true)}
              >
                {question.confirmLabel}
              </button>
              <button type="button" onClick={() => asking.answer(false)}>
                {question.cancelLabel ?? 'Not now'}
              </button>
            </div>
          </ModalDialog>,
          document.body,
        )}
    </ConfirmContext.Provider>
  );
}

/** The app's yes/no question (`ConfirmProvider` must be above the component). */
export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm)
    throw new Error('useConfirm needs a ConfirmProvider above it (renderer/src/main.tsx)');
  return confirm;
}
