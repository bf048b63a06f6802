import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError } from '../../contract/errors';
import { LOCK_FILE } from './run-lock';
import type { RunFolder } from './run-folder';

/** The folder, inside the runs folder, that removed runs wait in until they are deleted for good. */
export const TRASH_FOLDER = '.trash';

/** How long a removed run can be brought back at least, milliseconds. */
export const REMOVED_RUN_KEEP_MS = 60_000;

/**
 * Removing a run from History (docs/ARCHITECTURE.md, Skip, unskip and removing a run): its folder
 * moves whole into `<runs>/.trash/<removed-at-ms>-<runId>` (one rename on the same disk, so a
 * crash leaves it either in History or in the trash, never half of each), `restore` moves it
 * back, and `purge` deletes for good what has waited longer than the keep time. Only that one
 * folder is ever moved or deleted: nothing of another run is touched.
 */
export class RunTrash {
  readonly dir: string;

  constructor(runsDir: string) {
    this.dir = join(runsDir, TRASH_FOLDER);
  }

  /**
   * Moves a run's folder into the trash, holding its lock so no session (here or in another
   * process) is appending to it: `RunLockedError` (conflict) when one is. The lock file is not
   * carried along. Returns the folder's place in the trash.
   */
  remove(folder: RunFolder, runId: string, nowMs = Date.now()): string {
    if (!existsSync(folder.dir)) {
      throw new ContractError('not-found', `No run ${runId}: it may have been removed already.`);
    }
    const lock = folder.lock();
    const target = join(this.dir, `${nowMs}-${runId}`);
    try {
      mkdirSync(this.dir, { recursive: true });
      renameSync(folder.dir, target);
      unlinkQuietly(join(target, LOCK_FILE));
    } finally {
      lock.release();
    }
    return target;
  }

  /** Moves the latest removal of `runId` back to `runsDir`; `not-found` once it was purged. */
  restore(runsDir: string, runId: string): string {
    const entry = this.entries()
      .filter((candidate) => candidate.runId === runId)
      .sort((a, b) => b.removedAtMs - a.removedAtMs)[0];
    if (!entry) {
      throw new ContractError(
        'not-found',
        `Run ${runId} cannot be brought back: it was deleted for good (removed runs are kept a minute at least).`,
      );
    }
    const home = join(runsDir, runId);
    if (existsSync(home)) {
      throw new ContractError('conflict', `Run ${runId} is already in History.`);
    }
    renameSync(join(this.dir, entry.name), home);
    return home;
  }

  /** Deletes for good the removed runs that have waited `keepMs` or longer; returns how many. */
  purge(keepMs = REMOVED_RUN_KEEP_MS, nowMs = Date.now()): number {
    let deleted = 0;
    for (const entry of this.entries()) {
      if (nowMs - entry.removedAtMs < keepMs) continue;
      rmSync(join(this.dir, entry.name), { recursive: true, force: true });
      deleted += 1;
    }
    return deleted;
  }

  /** The removed runs waiting in the trash (names this class did not make are left alone). */
  private entries(): Array<{ name: string; runId: string; removedAtMs: number }> {
    if (!existsSync(this.dir)) return [];
    const entries: Array<{ name: string; runId: string; removedAtMs: number }> = [];
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      const match = /^(\d+)-(.+)$/.exec(entry.name);
      if (!entry.isDirectory() || !match) continue;
      entries.push({ name: entry.name, runId: match[2]!, removedAtMs: Number(match[1]) });
    }
    return entries;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
