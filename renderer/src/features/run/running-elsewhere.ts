import type { RunFacts, RunSummary } from '../../../../core/contract';

/**
 * A run that no session of this app holds, whose journal has a session open and was written
 * this recently, is going on in another process (the command line). Journals move at every
 * acknowledged batch, and a backoff waits at most a minute. (Its summary file may say running,
 * or paused: the runs service shows a run no process of its own holds as stopped.)
 */
export const ELSEWHERE_WINDOW_MS = 60_000;
/** How often lists of runs look at the runs folder for runs going on elsewhere. */
export const ELSEWHERE_POLL_MS = 3000;

/** True for a run another process is running now (see `ELSEWHERE_WINDOW_MS`). */
export function isRunningElsewhere(
  state: RunSummary['state'],
  liveHere: boolean,
  facts: RunFacts | undefined,
  nowMs: number,
): boolean {
  if (liveHere || !facts?.sessionOpen) return false;
  if (state === 'completed' || state === 'cancelled' || state === 'stopped') return false;
  const written = facts?.journalUpdatedAt;
  return written !== undefined && nowMs - Date.parse(written) < ELSEWHERE_WINDOW_MS;
}

/** Contacts per second over the time the run was sending (all its sessions), or undefined. */
export function contactsPerActiveSecond(
  uploaded: number,
  activeMs: number | undefined,
): number | undefined {
  if (activeMs === undefined || activeMs <= 0) return undefined;
  return uploaded / (activeMs / 1000);
}
