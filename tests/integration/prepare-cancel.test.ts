// Cancelling a preparation (csv:prepare, then csv:cancel with its job id) through the contract's
// dispatch, as the renderer's Cancel does: the real worker stops part way, the call fails with
// code 'cancelled' (the UI shows it as a status, not an error) and neither output file exists.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices, dispatch, EventBus } from '../../core/services';
import { emailNameFolder, emailNameMapping } from '../support/email-name-job';

const ROWS = 200_000;

const job = emailNameFolder('sluice-cancel-prepare-test-', ROWS);

describe('cancelling a preparation', () => {
  it('stops the worker part way, fails with code cancelled and writes neither file', async () => {
    const events = new EventBus();
    const services = createServices({
      version: 't',
      dataFolder: job.folder,
      shell: 'web-host',
      events,
    });
    const rowsSeen: number[] = [];
    const cancels: Promise<unknown>[] = [];
    events.subscribe((event, payload) => {
      if (event !== 'csv:progress') return;
      const progress = payload as { jobId: string; rowsRead: number };
      if (progress.jobId !== 'prepare-big') return;
      rowsSeen.push(progress.rowsRead);
      // Cancel as soon as the preparation shows progress, as the consultant's button would.
      if (cancels.length === 0)
        cancels.push(dispatch(services, 'csv:cancel', { jobId: 'prepare-big' }));
    });
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
