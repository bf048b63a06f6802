import { useCallback, useState } from 'react';
import { messageOf } from './error-text';

/** A control's asynchronous work as the screen shows it: busy while it runs, then any failure. */
export interface BusyAction {
  /** True while `run`'s work is under way (disable the button, say "…ing"). */
  busy: boolean;
  /** The message of what the last work threw (for ErrorText); cleared when the next starts. */
  error: string | undefined;
  /** Runs `work`; never rejects: a failure becomes `error`. */
  run: (work: () => Promise<unknown>) => Promise<void>;
}

/**
 * Busy and error state around one control's calls to the services, so every button that starts
 * work clears the last error, shows that it is working, and shows what went wrong the same way.
 */
export function useBusyAction(): BusyAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
