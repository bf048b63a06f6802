import { useEffect, useRef, useState } from 'react';
import { ContractError, type FileCheck } from '../../../../core/contract';
import { useApi } from '../../api/context';
import { messageOf } from '../../components/error-text';

/** A whole-file check under way in the host's worker. */
export interface RunningCheck {
  jobId: string;
  /** Rows checked so far (from `csv:progress`). */
  rowsSoFar: number;
}

/** The Upload draft's whole-file check: the one running, and how the last one ended. */
export interface FileCheckJob {
  running?: RunningCheck;
  /** Why the last check failed (a consultant-readable message). */
  error?: string;
  /** The last check was cancelled before it finished. */
  cancelled: boolean;
  /** Starts a check; its result goes to `onChecked` even if the Upload screen was left meanwhile. */
  start: (
    run: (jobId: string) => Promise<FileCheck>,
    onChecked: (check: FileCheck) => void,
  ) => void;
  cancel: () => void;
}

/**
 * Holds the whole-file check where the Upload draft lives (for the life of the window), not in
 * the screen: a consultant who looks at another screen while a large file is checked finds the
 * check still counting, or its result, on coming back. A check still running when the draft goes
 * (Start another upload, the window closing) is cancelled, so no worker reads a file nobody waits on.
 */
export function useFileCheckJob(): FileCheckJob {
  const api = useApi();
  const [running, setRunning] = useState<RunningCheck>();
  const [error, setError] = useState<string>();
  const [cancelled, setCancelled] = useState(false);
  const runningId = useRef<string | undefined>(undefined);

  useEffect(() => {
    const jobId = running?.jobId;
    if (!jobId) return;
    return api.on('csv:progress', (progress) => {
      if (progress.jobId === jobId)
        setRunning((now) => (now?.jobId === jobId ? { jobId, rowsSoFar: progress.rowsRead } : now));
    });
  }, [api, running?.jobId]);

  // The draft going away (a new upload, the window closing) cancels the check it started.
  useEffect(
    () => () => {
      const jobId = runningId.current;
      if (jobId) void api.invoke('csv:cancelCheck', { jobId }).catch(() => undefined);
    },
    [api],
  );

  const cancel = () => {
    const jobId = runningId.current;
    if (!jobId) return;
    api
      .invoke('csv:cancelCheck', { jobId })
      .catch((caught: unknown) => setError(messageOf(caught)));
  };

  const start: FileCheckJob['start'] = (run, onChecked) => {
    if (runningId.current) return;
    const jobId = `check-${Date.now()}`;
    runningId.current = jobId;
    setRunning({ jobId, rowsSoFar: 0 });
    setError(undefined);
    setCancelled(false);
    void run(jobId)
      .then(onChecked, (caught: unknown) => {
        if (caught instanceof ContractError && caught.code === 'cancelled') setCancelled(true);
        else setError(messageOf(caught));
      })
      .finally(() => {
        runningId.current = undefined;
        setRunning(undefined);
      });
  };

  return { running, error, cancelled, start, cancel };
}
