import type { Services } from '../core/contract';

/** How long quitting waits for running uploads to pause before it goes anyway. */
export const PAUSE_BEFORE_QUIT_MS = 15_000;

/**
 * Pauses every running upload and waits (up to `timeoutMs`) until none is running, so the app
 * quits between batches: requests in flight are answered and journaled rather than cut off. The
 * journal would survive a hard exit too (it is committed at batch boundaries), but a pause leaves
 * nothing to re-send. Resolves with the runs that were still running when it gave up.
 */
export async function pauseRunningRuns(
  services: Pick<Services, 'runs:pause'>,
  runningRunIds: () => string[],
  timeoutMs = PAUSE_BEFORE_QUIT_MS,
): Promise<string[]> {
  const running = runningRunIds();
  if (running.length === 0) return [];
  await Promise.allSettled(running.map((runId) => services['runs:pause']({ runId })));
  const deadline = Date.now() + timeoutMs;
  while (runningRunIds().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return runningRunIds();
}
