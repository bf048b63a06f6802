// A whole-file check whose temporary folder cannot be removed: the check's own outcome (its
// result, or the error that stopped it) still reaches the caller, and the failed removal is a
// warning notice that names neither the folder's path nor the error's message (which holds it).
// The removal fails the way it does on a locked or read-only folder: `rm` of the check's
// folder rejects with EACCES and leaves it there (the real worker thread is not affected).
import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../core/services';
import type { DeathPlan } from '../support/dying-prepare-worker';
import {
  emailNameFolder,
  emailNameMapping,
  jobServices,
  temporaryFolderPerTest,
} from '../support/email-name-job';

const DYING_ENTRY = new URL('../support/dying-prepare-worker.ts', import.meta.url);

function refusal(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, rmdir '${path}'`), {
    code: 'EACCES',
    path,
  });
}
const isCheckFolder = (path: unknown) => String(path).includes('sluice-check-');

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const refusingRm: typeof actual.rm = (path, options) =>
    isCheckFolder(path) ? Promise.reject(refusal(String(path))) : actual.rm(path, options);
  return { ...actual, rm: refusingRm, default: { ...actual, rm: refusingRm } };
});
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof Fs>();
  const refusingRmSync: typeof actual.rmSync = (path, options) => {
    if (isCheckFolder(path)) throw refusal(String(path));
    actual.rmSync(path, options);
  };
  return { ...actual, rmSync: refusingRmSync, default: { ...actual, rmSync: refusingRmSync } };
});

const job = emailNameFolder('sluice-cleanup-test-', 30_000, [
  'a@example.com,Ann',
  ',Bob',
  '=1+1@example.com,Cid',
]);
// A temporary folder of each test's own, so what a check leaves there is its doing.
const temporary = temporaryFolderPerTest(() => job.folder);

function checkServices(dying = false) {
  const { services, events } = jobServices(job.folder, dying ? { url: DYING_ENTRY } : undefined);
  const notices: { level: string; message: string }[] = [];
  events.subscribe((event, payload) => {
    if (event === 'app:notice') notices.push(payload as { level: string; message: string });
  });
  return { services, notices };
}

const request = (jobId: string) => ({
  jobId,
  path: job.csvPath,
  source: { kind: 'file', path: job.listPath },
  mapping: emailNameMapping(),
});

/** The notice the check must give when its folder stays: a code and a prefix, never the path. */
function expectRemovalNotice(notices: { level: string; message: string }[]): void {
  expect(notices).toHaveLength(1);
  expect(notices[0]!.level).toBe('warning');
  expect(notices[0]!.message).toContain('EACCES');
  expect(notices[0]!.message).toContain('sluice-check-');
  expect(notices[0]!.message).not.toContain(temporary());
  expect(notices[0]!.message).not.toContain('permission denied');
}

describe('a check whose temporary folder cannot be removed', () => {
  it('still answers with the check, and says the folder stayed', async () => {
    const { services, notices } = checkServices();
    const answer = await dispatch(services, 'csv:check', request('check-stays'));
    expect(answer).toMatchObject({
      ok: true,
      value: { rowsRead: 30_003, clean: 30_002, rejected: 1 },
    });
    expectRemovalNotice(notices);
    // The folder really stayed (the removal failed): this test removes it.
    expect((await readdir(temporary())).filter(isCheckFolder)).toHaveLength(1);
  });

  it('keeps the error that stopped the check', async () => {
    const { services, notices } = checkServices(true);
    process.env.SLUICE_TEST_WORKER_DEATH = JSON.stringify({
      death: 'uncaught',
      phase: 'preparing',
      afterRows: 20_000,
    } satisfies DeathPlan);
    const answer = await dispatch(services, 'csv:check', request('check-dies'));
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'invalid-request',
        message: `Checking ${job.csvPath} did not finish (the checking thread crashed: simulated crash in the prepare worker). Try again; if it stops the same way again, report it.`,
      },
    });
    expectRemovalNotice(notices);
  });
});
