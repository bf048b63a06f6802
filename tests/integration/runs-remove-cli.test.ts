import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/index';
import type { AppRuntime } from '../../core/services/app-runtime';
import {
  runFinished,
  startWebinarRun,
  testRuntimePerFile,
  writeWebinarCsv,
} from '../support/app-runtime-runs';

// `sluice runs remove RUN --yes` and `sluice runs restore RUN` on runs the app's services made:
// the same runs folder, the same trash as History's "Remove from history…".
let runtime: AppRuntime;
let folder: string;
let listId: string;

testRuntimePerFile('sluice-runs-remove-', (started) => ({ runtime, folder, listId } = started));

/** Runs the CLI with stdout captured; resolves to its exit code and what it printed. */
async function sluice(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'sluice', ...args, '--run-dir', path.join(folder, 'runs')]);
    return { code, stdout };
  } finally {
    write.mockRestore();
    process.exitCode = undefined;
  }
}

describe('sluice runs remove / restore', () => {
  it('says what it would remove without --yes, removes with it, and restore brings it back', async () => {
    const kept = await startWebinarRun(
      runtime,
      listId,
      writeWebinarCsv(folder, 'a.csv', 5, [], 'a'),
      { batchSize: 10 },
    );
    await runFinished(runtime, kept.runId);
    const { runId } = await startWebinarRun(
      runtime,
      listId,
      writeWebinarCsv(folder, 'b.csv', 6, [2], 'b'),
      { batchSize: 10 },
    );
    await runFinished(runtime, runId);
    const runDir = path.join(folder, 'runs', runId);

    const asked = await sluice('runs', 'remove', runId);
    expect(asked.code).toBe(1);
    expect(asked.stdout).toContain(`Run ${runId} (completed`);
    expect(asked.stdout).toContain('b.csv');
    expect(asked.stdout).toContain('read 6, uploaded 5, rejected 1, failed 0, skipped 0');
    expect(asked.stdout).toContain('Nothing removed: add --yes');
    expect(existsSync(path.join(runDir, 'run.json'))).toBe(true);

    const removed = await sluice('runs', 'remove', runId, '--yes');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`sluice runs restore ${runId}`);
    expect(existsSync(runDir)).toBe(false);
    const listed = await sluice('runs', '--json');
    const ids = (JSON.parse(listed.stdout) as Array<{ runId: string }>).map((run) => run.runId);
    expect(ids).toEqual([kept.runId]);
    // the other run's folder is whole
    expect(readdirSync(path.join(folder, 'runs', kept.runId))).toContain('journal.ndjson');

    expect(await sluice('runs', 'restore', runId)).toMatchObject({ code: 0 });
    expect(existsSync(path.join(runDir, 'journal.ndjson'))).toBe(true);
    expect((await runtime.services['runs:get']({ runId })).summary).toMatchObject({
      rowsRead: 6,
      uploaded: 5,
      rejected: 1,
    });
  });

  it('refuses a path in place of a run id, and an unknown run', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await sluice('runs', 'remove', '../elsewhere', '--yes')).code).toBe(1);
      expect(stderr.mock.calls.map(String).join('')).toMatch(/not a run id/);
      expect((await sluice('runs', 'remove', '20260101-000000-abcd', '--yes')).code).toBe(1);
      expect(stderr.mock.calls.map(String).join('')).toMatch(/No run 20260101-000000-abcd/);
    } finally {
      stderr.mockRestore();
    }
  });
});
