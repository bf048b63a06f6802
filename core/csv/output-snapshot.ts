import { rm, stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';

/** What a file was before a preparation started: enough to tell whether it was written since. */
type FileState = Pick<BigIntStats, 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'>;

/** The output files of one preparation, as they were before it started. */
export interface OutputSnapshot {
  /**
   * Removes each file this preparation created or wrote (a file that did not exist, or whose
   * inode, size or times changed since the snapshot); leaves a file it never touched. Resolves
   * to the files it could not remove, with why.
   */
  removeWritten(): Promise<{ path: string; code: string }[]>;
}

/**
 * Records the output files' state before a preparation runs, so that when the preparation dies
 * without cleaning up after itself (its worker thread killed) the caller removes only what it
 * wrote. Why times and not only existence: prepare writes its outputs in place (a replaced file
 * is truncated when it is opened, which updates its mtime and ctime), so a file that existed
 * before may be a half-written replacement, or an earlier result the preparation never reached.
 */
export async function snapshotOutputs(paths: readonly string[]): Promise<OutputSnapshot> {
  const before = await Promise.all(paths.map((path) => stateOf(path)));
  return {
    async removeWritten() {
      const failures: { path: string; code: string }[] = [];
      for (const [index, path] of paths.entries()) {
        const now = await stateOf(path);
        if (!now || sameState(before[index], now)) continue;
        try {
          await rm(path, { force: true });
        } catch (error) {
          failures.push({ path, code: (error as NodeJS.ErrnoException).code ?? String(error) });
        }
      }
      return failures;
    },
  };
}

async function stateOf(path: string): Promise<FileState | undefined> {
  try {
    const { ino, size, mtimeNs, ctimeNs } = await stat(path, { bigint: true });
    return { ino, size, mtimeNs, ctimeNs };
  } catch {
    return undefined; // absent (or unreadable: then it cannot be told apart, and is left alone)
  }
}

function sameState(before: FileState | undefined, now: FileState): boolean {
  return (
    before !== undefined &&
    before.ino === now.ino &&
    before.size === now.size &&
    before.mtimeNs === now.mtimeNs &&
    before.ctimeNs === now.ctimeNs
  );
}
