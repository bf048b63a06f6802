import type { RunFacts, RunSummary } from '../../../../core/contract';

/**
 * A run whose summary says it is going, that no session of this app holds, and whose journal
 * was written this recently, is going on in another process (the command line). Journals move
 * at every acknowledged batch, and a backoff waits at most a minute.
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
  if (liveHere) return false;
  if (state !== 'running' && state !== 'pausing' && state !== 'created') return false;
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
