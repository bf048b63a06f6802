import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunFolder, RunFolderError } from '../../../../core/engine/run/run-folder';
import { newRunMeta } from '../../../../core/engine/run/run-meta';
import { JournalWriter } from '../../../../core/engine/journal/journal';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): RunFolder {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-folder-'));
  folders.push(dir);
  return new RunFolder(dir, 'r1');
}

describe('RunFolder', () => {
  it('round-trips run.json with one orgKey per API and OAuth client', () => {
    const run = folder();
    const meta = newRunMeta({
      runId: 'r1',
      orgName: 'Acme',
      apiUrl: 'https://api.mypurecloud.ie/',
      clientId: 'client-1',
      contactListId: 'list-1',
      strategy: 'contacts',
      batchSize: 500,
      headroom: 0.1,
    });
    run.writeMeta(meta);
    expect(run.readMeta()).toEqual(meta);
    expect(meta.orgKey).toBe('https://api.mypurecloud.ie|client-1');
  });

  it('refuses a missing or damaged run.json with a code', () => {
    const run = folder();
    expect(() => run.readMeta()).toThrow(expect.objectContaining({ code: 'missing' }));
    writeFileSync(join(run.dir, 'run.json'), JSON.stringify({ runId: 'r1', batchSize: 'many' }));
    const error = (() => {
      try {
        run.readMeta();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RunFolderError);
    expect(error).toMatchObject({ code: 'damaged' });
  });

  it('skips only failed or rejected rows and recounts the summary from the journal', () => {
    const run = folder();
    const writer = JournalWriter.open(run.dir);
    writer.record({ t: 'uploaded', batch: 'b1', rows: [[1, 2]] });
    writer.record({ t: 'failed', batch: 'b2', rows: [{ row: 3, status: 503, reason: 'gone' }] });
    writer.close();
    const summary = {
      runId: 'r1',
      orgName: 'Acme',
      contactListId: 'list-1',
      strategy: 'contacts' as const,
      state: 'completed' as const,
      startedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      elapsedMs: 1,
      rowsRead: 3,
      uploaded: 2,
      rejected: 0,
      failed: 1,
      skipped: 0,
      requests: 2,
      throttled: 0,
      retries: 0,
      contactsPerSecond: 1,
      invariant: { holds: true, problems: [] },
      runDir: run.dir,
    };
    const result = run.skipRows([1, 3], 'not needed', summary);
    expect(result.skipped).toBe(1);
    expect(result.summary).toMatchObject({ uploaded: 2, failed: 0, skipped: 1 });
    expect(result.summary.invariant.holds).toBe(true);
    expect(run.settledRows('skipped').map((row) => row.reason)).toEqual(['not needed']);
    expect(run.readSummary(true)).toMatchObject({ skipped: 1 });
  });
});
