import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ContractError } from '../../contract/errors';

/** File name of the lock inside a run folder. */
export const LOCK_FILE = 'run.lock';

/** Who holds a run folder: the process id and the computer, and since when. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/**
 * A run folder another live process (or another session of this one) is using. Code
 * `conflict`, so the UI can say "open elsewhere" rather than "failed"; `owner` is who holds it.
 */
export class RunLockedError extends ContractError {
  constructor(
    message: string,
    readonly owner: LockOwner | undefined,
  ) {
    super('conflict', message);
    this.name = 'RunLockedError';
  }
}

/** A lock file younger than this with no readable owner is being written right now. */
const UNREADABLE_GRACE_MS = 10_000;

/** Lock files this process holds: removed when it exits, however it exits short of a kill. */
const held = new Set<string>();
let exitHookInstalled = false;

/**
 * The exclusive lock of one run folder (docs/ARCHITECTURE.md, Why the journal survives a
 * crash): only one process at a time may append to a run's journal, or two sessions would
 * send the same rows and each journal them. `run.lock` is created exclusively and holds the
 * owner's pid and host. A lock whose process is gone (same host, no such pid: a crash or a
 * SIGKILL) is stale and taken over; a lock from another host cannot be checked, so the message
 * says which file to delete if that computer no longer runs the upload.
 */
export class RunLock {
  private constructor(readonly path: string) {}

  /** Takes the lock of `runDir`; throws `RunLockedError` when a live process holds it. */
  static acquire(runDir: string, runLabel: string): RunLock {
    const path = join(runDir, LOCK_FILE);
    const owner: LockOwner = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
    };
    // Two tries: the second follows the removal of a stale lock.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (createExclusive(path, owner)) {
        holdUntilExit(path);
        return new RunLock(path);
      }
      const current = readOwner(path);
      if (current === 'gone') continue;
      if (!isStale(path, current)) throw lockedError(runLabel, path, current);
      removeQuietly(path);
    }
    throw lockedError(runLabel, path, undefined);
  }

  /** Gives the folder back (idempotent). */
  release(): void {
    if (!held.delete(this.path)) return;
    removeQuietly(this.path);
  }
}

function createExclusive(path: string, owner: LockOwner): boolean {
  try {
    writeFileSync(path, `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The owner in a lock file; undefined when unreadable, 'gone' when the file disappeared. */
function readOwner(path: string): LockOwner | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? '') };
    }
  } catch {
    // a torn write: judged by its age below
  }
  return undefined;
}

function isStale(path: string, owner: LockOwner | undefined): boolean {
  if (owner === undefined) {
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return true;
    }
  }
  if (owner.host !== hostname()) return false;
  // Our own pid: stale unless this process still holds it (a session that ended without
  // releasing it, or a pid reused after a restart).
  if (owner.pid === process.pid) return !held.has(path);
  return !processAlive(owner.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(runLabel: string, path: string, owner: LockOwner | undefined): RunLockedError {
  const who =
    owner === undefined
      ? 'another Sluice process'
      : owner.host === hostname()
        ? owner.pid === process.pid
          ? 'this window'
          : `another Sluice process (pid ${owner.pid})`
        : `Sluice on ${owner.host} (pid ${owner.pid})`;
  const remedy =
    owner !== undefined && owner.host !== hostname()
      ? ` If that computer no longer runs it, delete ${path} and try again.`
      : ' Pause or close it there first, or wait for it to finish.';
  return new RunLockedError(`Run ${runLabel} is open in ${who}.${remedy}`, owner);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function holdUntilExit(path: string): void {
  held.add(path);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // First among the exit listeners, so one that throws (a closed log) cannot skip it.
  process.prependListener('exit', () => {
    for (const lockPath of held) {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    }
  });
}
