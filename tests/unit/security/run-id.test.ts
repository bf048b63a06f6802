import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_ID_PATTERN } from '../../../core/contract';
import { RunManager } from '../../../core/engine/run/run-manager';
import { createServices, dispatch } from '../../../core/services';
import { zeroSummary } from '../../support/run-records';

let dataFolder: string;

/** A run folder planted outside the runs folder: it must not be reachable by a relative id. */
beforeAll(() => {
  dataFolder = mkdtempSync(path.join(os.tmpdir(), 'sluice-run-id-'));
  const planted = path.join(dataFolder, 'planted');
  mkdirSync(planted);
  mkdirSync(path.join(dataFolder, 'runs'));
  const summary = zeroSummary('planted', { orgName: 'Evil', runDir: planted });
  writeFileSync(path.join(planted, 'summary.json'), JSON.stringify(summary));
  writeFileSync(
    path.join(planted, 'run.json'),
    JSON.stringify({ runId: 'planted', csvPath: '/x' }),
  );
});
afterAll(() => rmSync(dataFolder, { recursive: true, force: true }));

describe('run ids through the contract', () => {
  it('the pattern accepts every id the run manager makes', () => {
    const manager = new RunManager(path.join(dataFolder, 'runs'));
    for (let index = 0; index < 200; index += 1) {
      expect(manager.newRunId(new Date(Date.UTC(2026, 0, 1, 0, 0, index)))).toMatch(RUN_ID_PATTERN);
    }
  });

  it('refuses traversal, absolute and separator ids on every run channel', async () => {
    const services = createServices({ version: 't', dataFolder, shell: 'web-host' });
    const hostile = ['../planted', path.join(dataFolder, 'planted'), 'a\\..\\..\\planted', 'x', ''];
    const channels: Array<[string, Record<string, unknown>]> = [
      ['runs:get', {}],
      ['runs:rows', { outcome: 'failed' }],
      ['runs:pause', {}],
      ['runs:resume', {}],
      ['runs:cancel', {}],
      ['runs:retryFailed', {}],
      ['runs:skipRows', { rows: [1] }],
      ['runs:unskipRows', { rows: [1] }],
      ['runs:remove', {}],
      ['runs:restoreRemoved', {}],
      ['runs:fixRows', { rows: [{ row: 1, data: {} }] }],
      ['runs:exportRows', { outcome: 'failed', path: path.join(dataFolder, 'out.csv') }],
    ];
    for (const runId of hostile) {
      for (const [channel, rest] of channels) {
        const result = await dispatch(services, channel, { runId, ...rest });
        expect(result, `${channel} ${runId}`).toMatchObject({
          ok: false,
          error: { code: 'invalid-request' },
        });
      }
    }
    // A well-formed id that names no run is simply not found.
    expect(await dispatch(services, 'runs:get', { runId: '20260101-000000-abcd' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});
