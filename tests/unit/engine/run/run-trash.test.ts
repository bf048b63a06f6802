import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunManager } from '../../../../core/engine/run/run-manager';
import { LOCK_FILE } from '../../../../core/engine/run/run-lock';
import { TRASH_FOLDER } from '../../../../core/engine/run/run-trash';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A runs folder with two runs, each holding a journal, run.json and an export. */
function runsFolder(): RunManager {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-trash-'));
  dirs.push(dir);
  for (const runId of ['20260101-000000-aaaa', '20260102-000000-bbbb']) {
    mkdirSync(join(dir, runId));
    for (const file of ['journal.ndjson', 'run.json', 'failed-rows-export.csv'])
      writeFileSync(join(dir, runId, file), `${runId} ${file}\n`);
  }
  return new RunManager(dir);
}

describe('RunTrash', () => {
  it('moves one run folder whole into the trash and back, touching no other run', () => {
    const manager = runsFolder();
    const removed = '20260101-000000-aaaa';
    const target = manager.trash.remove(manager.folder(removed), removed, 1_000);
    expect(target).toBe(join(manager.runsDir, TRASH_FOLDER, `1000-${removed}`));
    expect(existsSync(join(manager.runsDir, removed))).toBe(false);
    expect(readdirSync(target).sort()).toEqual([
      'failed-rows-export.csv',
      'journal.ndjson',
      'run.json',
    ]);
    // the other run is as it was; the trash is no run of the list
    expect(readdirSync(join(manager.runsDir, '20260102-000000-bbbb')).sort()).toHaveLength(3);
    expect(readdirSync(manager.runsDir).sort()).toEqual([TRASH_FOLDER, '20260102-000000-bbbb']);
    expect(manager.list()).toEqual([]);

    manager.trash.restore(manager.runsDir, removed);
    expect(readFileSync(join(manager.runsDir, removed, 'journal.ndjson'), 'utf8')).toBe(
      `${removed} journal.ndjson\n`,
    );
    expect(readdirSync(join(manager.runsDir, TRASH_FOLDER))).toEqual([]);
    expect(() => manager.trash.restore(manager.runsDir, removed)).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
  });

  it('deletes for good only what waited the keep time; a purged run cannot come back', () => {
    const manager = runsFolder();
    manager.trash.remove(manager.folder('20260101-000000-aaaa'), '20260101-000000-aaaa', 1_000);
    manager.trash.remove(manager.folder('20260102-000000-bbbb'), '20260102-000000-bbbb', 50_000);
    expect(manager.trash.purge(60_000, 61_000)).toBe(1);
    expect(readdirSync(join(manager.runsDir, TRASH_FOLDER))).toEqual([
      '50000-20260102-000000-bbbb',
    ]);
    expect(() => manager.trash.restore(manager.runsDir, '20260101-000000-aaaa')).toThrow(
      /deleted for good/,
    );
    manager.trash.restore(manager.runsDir, '20260102-000000-bbbb');
    expect(existsSync(join(manager.runsDir, '20260102-000000-bbbb', 'run.json'))).toBe(true);
  });

  it('refuses a run another live process holds, and a run id already back in History', async () => {
    const manager = runsFolder();
    const runId = '20260101-000000-aaaa';
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => other.once('exit', resolve));
    try {
      writeFileSync(
        join(manager.runsDir, runId, LOCK_FILE),
        JSON.stringify({ pid: other.pid, host: hostname(), since: 'now' }),
      );
      expect(() => manager.trash.remove(manager.folder(runId), runId)).toThrow(
        expect.objectContaining({ code: 'conflict' }),
      );
      expect(existsSync(join(manager.runsDir, runId, 'journal.ndjson'))).toBe(true);
    } finally {
      other.kill('SIGKILL');
      await exited;
    }
    // its process is gone: the run moves, without the stale lock file
    const target = manager.trash.remove(manager.folder(runId), runId);
    expect(existsSync(join(target, LOCK_FILE))).toBe(false);
    mkdirSync(join(manager.runsDir, runId));
    expect(() => manager.trash.restore(manager.runsDir, runId)).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });
});
