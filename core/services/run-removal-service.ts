import { ContractError, type RunSummary, type Services } from '../contract';
import type { RunManager } from '../engine/run/run-manager';
import { REMOVED_RUN_KEEP_MS } from '../engine/run/run-trash';

/**
 * History's "Remove from history…" and its Undo (docs/ARCHITECTURE.md, Skip, unskip and removing
 * a run). A removed run's folder waits in the runs folder's trash; what waited longer than the
 * keep time is deleted for good when the service starts (the next launch) and a keep time after
 * each removal.
 */
export function createRunRemovalServices(
  manager: RunManager,
  keepMs = REMOVED_RUN_KEEP_MS,
): Pick<Services, 'runs:remove' | 'runs:restoreRemoved'> {
  const purgeLater = () => {
    const timer = setTimeout(() => purgeQuietly(manager, keepMs), keepMs + 1_000);
    timer.unref?.();
  };
  purgeQuietly(manager, keepMs);

  return {
    'runs:remove': async ({ runId }) => {
      const live = manager.live(runId);
      if (live) {
        throw new ContractError(
          'conflict',
          `Run ${runId} is ${live.state} in this window: cancel it first, then remove it.`,
        );
      }
      const removed: RunSummary | undefined = manager.readSummary(runId);
      if (!removed) throw new ContractError('not-found', `No run ${runId} in History.`);
      if (removed.state === 'running' || removed.state === 'pausing') {
        throw new ContractError(
          'conflict',
          `Run ${runId} is still ${removed.state}: pause or cancel it where it runs, then remove it.`,
        );
      }
      manager.trash.remove(manager.folder(runId), runId);
      purgeLater();
      return { removed, keptForMs: keepMs };
    },

    'runs:restoreRemoved': async ({ runId }) => {
      manager.trash.restore(manager.runsDir, runId);
      const summary = manager.readSummary(runId);
      if (!summary)
        throw new ContractError('not-found', `Run ${runId} came back without its summary.`);
      return { summary };
    },
  };
}

/** Deletes removed runs past their keep time; a failure here must not stop the app. */
function purgeQuietly(manager: RunManager, keepMs: number): void {
  try {
    manager.trash.purge(keepMs);
  } catch {
    // tried again after the next removal or at the next launch
  }
}
