// Cancelling a whole-file check (csv:check, then csv:cancelCheck with its job id) through the
// contract's dispatch, as the renderer's Cancel does: the real worker stops part way, the call
// fails with code 'cancelled', and the check's temporary folder is gone. A worker stuck in a long
// synchronous step (tests/support/dying-prepare-worker.ts) is stopped after its grace time.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../core/services';
import type { DeathPlan } from '../support/dying-prepare-worker';
import {
  cancelOnProgress,
  emailNameFolder,
  emailNameMapping,
  jobServices,
  temporaryFolderPerTest,
} from '../support/email-name-job';

const ROWS = 200_000;
const DYING_ENTRY = new URL('../support/dying-prepare-worker.ts', import.meta.url);

const job = emailNameFolder('sluice-cancel-check-test-', ROWS);

// A temporary folder of each test's own, so what a check leaves there is its doing.
const temporary = temporaryFolderPerTest(() => job.folder);

function checkRequest(jobId: string, path = job.csvPath) {
  return {
    jobId,
    path,
    source: { kind: 'file', path: job.listPath },
    mapping: emailNameMapping(),
  };
}

describe('cancelling a whole-file check', () => {
  it('stops the worker part way, fails with code cancelled and removes the temporary files', async () => {
    const { services, events } = jobServices(job.folder);
    // Cancel as soon as the check shows progress, as the consultant's button would.
    const { rowsSeen, cancels } = cancelOnProgress(
      services,
      events,
      'check-big',
      'csv:cancelCheck',
    );

    const answer = await dispatch(services, 'csv:check', checkRequest('check-big'));

    expect(await Promise.all(cancels)).toEqual([{ ok: true, value: { cancelled: true } }]);
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'cancelled',
        message: `The check of ${job.csvPath} was cancelled before it finished.`,
      },
    });
    // The worker stopped: it never read the whole file.
    expect(rowsSeen.length).toBeGreaterThan(0);
    expect(Math.max(...rowsSeen)).toBeLessThan(ROWS);
    expect(await readdir(temporary())).toEqual([]);
    // The job is over: a second cancel finds nothing, and the id can check again.
    expect(await dispatch(services, 'csv:cancelCheck', { jobId: 'check-big' })).toEqual({
      ok: true,
      value: { cancelled: false },
    });
    const small = join(job.folder, 'small.csv');
    await writeFile(small, 'Email,Name\na@example.com,Ann\nb@example.com,Bob\n');
    const again = await dispatch(services, 'csv:check', checkRequest('check-big', small));
    expect(again).toMatchObject({ ok: true, value: { rowsRead: 2, clean: 2, rejected: 0 } });
    expect(await readdir(temporary())).toEqual([]);
  });

  it('stops a worker that does not answer the cancel once its grace time is over', async () => {
    const { services, events } = jobServices(job.folder, { url: DYING_ENTRY, cancelGraceMs: 300 });
    process.env.SLUICE_TEST_WORKER_DEATH = JSON.stringify({
      death: 'stuck',
      phase: 'preparing',
      afterRows: 20_000,
    } satisfies DeathPlan);
    // Once the worker is stuck (past 20,000 rows), nothing but the grace timer can end it.
    const { cancels } = cancelOnProgress(
      services,
      events,
      'check-stuck',
      'csv:cancelCheck',
      (rowsRead) => rowsRead >= 20_000,
    );

    const answer = await dispatch(services, 'csv:check', checkRequest('check-stuck'));

    expect(await Promise.all(cancels)).toEqual([{ ok: true, value: { cancelled: true } }]);
    expect(answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await readdir(temporary())).toEqual([]);
  });

  it('refuses a second check with the id of one still running, and the contract checks the id', async () => {
    const { services } = jobServices(job.folder);
    const first = dispatch(services, 'csv:check', checkRequest('check-twice'));
    const second = await dispatch(services, 'csv:check', checkRequest('check-twice'));
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await dispatch(services, 'csv:cancelCheck', { jobId: 'check-twice' });
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await dispatch(services, 'csv:cancelCheck', { jobId: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await readdir(temporary())).toEqual([]);
  });
});
