import type { PrepareProgress } from './prepare';

/** How many progress updates a pass over a file sends at most from the worker, besides its last. */
export const PROGRESS_STEPS = 100;

/**
 * Wraps `send` so it gets a pass's progress in steps of a hundredth of the file rather than
 * once per read chunk: the first update of each phase, then one whenever the bytes read have
 * moved on by totalBytes / steps, and always the end of the file. Why: the worker reads 64 KiB
 * at a time, so a 392 MiB file made 6,272 messages (~800 a second), each one allocated and
 * copied on both threads; the calling thread's heap and the process's peak RSS grew with the
 * file's length (about 8 MB more for the 3× bench file, docs/BENCHMARKS.md "CSV pipeline"),
 * for updates no progress bar can show. Counting bytes rather than time keeps it deterministic.
 */
export function progressSteps(
  send: (progress: PrepareProgress) => void,
  steps = PROGRESS_STEPS,
): (progress: PrepareProgress) => void {
  let last: PrepareProgress | undefined;
  return (progress) => {
    const due =
      last === undefined ||
      progress.phase !== last.phase ||
      progress.bytesRead >= progress.totalBytes ||
      (progress.bytesRead - last.bytesRead) * steps >= progress.totalBytes;
    if (!due) return;
    last = progress;
    send(progress);
  };
}
