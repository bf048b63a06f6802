// Cancelling a preparation (csv:prepare, then csv:cancel with its job id) through the contract's
// dispatch, as the renderer's Cancel does: the real worker stops part way, the call fails with
// code 'cancelled' (the UI shows it as a status, not an error) and neither output file exists.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../core/services';
import {
  cancelOnProgress,
  emailNameFolder,
  emailNameMapping,
  jobServices,
} from '../support/email-name-job';

const ROWS = 200_000;

const job = emailNameFolder('sluice-cancel-prepare-test-', ROWS);

describe('cancelling a preparation', () => {
  it('stops the worker part way, fails with code cancelled and writes neither file', async () => {
    const { services, events } = jobServices(job.folder);
    // Cancel as soon as the preparation shows progress, as the consultant's button would.
    const { rowsSeen, cancels } = cancelOnProgress(services, events, 'prepare-big', 'csv:cancel');
    const outPath = join(job.folder, 'contacts.clean.csv');
    const rejectsPath = join(job.folder, 'contacts.rejects.csv');

    const answer = await dispatch(services, 'csv:prepare', {
      jobId: 'prepare-big',
      path: job.csvPath,
      source: { kind: 'file', path: job.listPath },
      mapping: emailNameMapping(),
      outPath,
      rejectsPath,
    });

    expect(await Promise.all(cancels)).toEqual([{ ok: true, value: { cancelled: true } }]);
    expect(answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(rowsSeen.length).toBeGreaterThan(0);
    expect(Math.max(...rowsSeen)).toBeLessThan(ROWS);
    await expect(access(outPath)).rejects.toThrow();
    await expect(access(rejectsPath)).rejects.toThrow();
  });
});
