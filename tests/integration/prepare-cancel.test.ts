// Cancelling a preparation (csv:prepare, then csv:cancel with its job id) through the contract's
// dispatch, as the renderer's Cancel does: the real worker stops part way, the call fails with
// code 'cancelled' (the UI shows it as a status, not an error) and neither output file exists.
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapping } from '../../core/csv/index';
import { createServices, dispatch, EventBus } from '../../core/services';

const ROWS = 200_000;

let folder: string;
let csvPath: string;
let listPath: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-cancel-prepare-test-'));
  csvPath = join(folder, 'contacts.csv');
  const lines = ['Email,Name'];
  for (let index = 0; index < ROWS; index += 1) lines.push(`c${index}@example.com,Ann ${index}`);
  await writeFile(csvPath, `${lines.join('\n')}\n`);
  listPath = join(folder, 'list.json');
  await writeFile(
    listPath,
    JSON.stringify({ name: 'L', columnNames: ['Email', 'Name'], phoneColumns: [] }),
  );
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('cancelling a preparation', () => {
  it('stops the worker part way, fails with code cancelled and writes neither file', async () => {
    const events = new EventBus();
    const services = createServices({
      version: 't',
      dataFolder: folder,
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
    const outPath = join(folder, 'contacts.clean.csv');
    const rejectsPath = join(folder, 'contacts.rejects.csv');

    const answer = await dispatch(services, 'csv:prepare', {
      jobId: 'prepare-big',
      path: csvPath,
      source: { kind: 'file', path: listPath },
      mapping: readMapping({
        columns: {
          Email: { source: { kind: 'csv', header: 'Email' } },
          Name: { source: { kind: 'csv', header: 'Name' } },
        },
        contactId: { kind: 'column', column: 'Email' },
      }),
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
