import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, RunLock, RunLockedError } from '../../../../core/engine/run/run-lock';

const root = mkdtempSync(join(tmpdir(), 'sluice-run-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
function runDir(): string {
  folders += 1;
  const dir = join(root, `run-${folders}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function writeLock(dir: string, owner: { pid: number; host: string }): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...owner, since: 'then' }));
}

describe('run folder lock', () => {
  it('is exclusive within a process until released, and names its owner', () => {
    const dir = runDir();
    const lock = RunLock.acquire(dir, 'run-a');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    expect(() => RunLock.acquire(dir, 'run-a')).toThrow(RunLockedError);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    RunLock.acquire(dir, 'run-a').release();
  });

  it('takes over the lock of a process that is gone (crash, SIGKILL)', () => {
    const dir = runDir();
    const gone = spawnSync(process.execPath, ['-e', '']);
    expect(gone.status).toBe(0);
    writeLock(dir, { pid: gone.pid!, host: hostname() });
    const lock = RunLock.acquire(dir, 'run-b');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses while the owning process lives, and takes over once it is killed', async () => {
    const dir = runDir();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      writeLock(dir, { pid: child.pid!, host: hostname() });
      let refusal: unknown;
      try {
        RunLock.acquire(dir, 'run-c');
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(RunLockedError);
      expect(refusal).toMatchObject({
        code: 'conflict',
        owner: { pid: child.pid },
        message: expect.stringContaining(`pid ${child.pid}`),
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    RunLock.acquire(dir, 'run-c').release();
  });

  it('never takes over a lock from another computer, and says which file to delete', () => {
    const dir = runDir();
    writeLock(dir, { pid: 1, host: `${hostname()}-elsewhere` });
    expect(() => RunLock.acquire(dir, 'run-d')).toThrow(
      new RegExp(`delete ${join(dir, LOCK_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('waits out a lock file being written (no owner yet) instead of taking it', () => {
    const dir = runDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    expect(() => RunLock.acquire(dir, 'run-e')).toThrow(RunLockedError);
  });
});
