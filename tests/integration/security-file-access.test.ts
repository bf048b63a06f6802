import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, dispatch } from '../../core/services';

/**
 * Every channel that takes a path refuses one outside the granted folders with `forbidden-path`,
 * through the dispatcher both shells use, and writes nothing there.
 */

let dataFolder: string;
let outside: string;
const schemaSource = () => ({ kind: 'file' as const, path: path.join(dataFolder, 'list.json') });
const mapping = {
  columns: { Email: { source: { kind: 'csv', header: 'Email' } } },
  contactId: { kind: 'column', column: 'Email' },
};

beforeAll(() => {
  dataFolder = mkdtempSync(path.join(os.tmpdir(), 'sluice-sec-data-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'sluice-sec-outside-'));
  writeFileSync(path.join(outside, 'credentials'), '[default]\naws_secret_access_key = hunter2\n');
  writeFileSync(
    path.join(dataFolder, 'list.json'),
    JSON.stringify({ name: 'L', columnNames: ['Email'], phoneColumns: [] }),
  );
  writeFileSync(path.join(dataFolder, 'in.csv'), 'Email\na@example.com\n');
});
afterAll(() => {
  rmSync(dataFolder, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const runId = '20260101-120000-abcd';

function hostileCalls(): Array<[string, Record<string, unknown>]> {
  const secret = path.join(outside, 'credentials');
  const target = path.join(outside, 'written.csv');
  const inside = path.join(dataFolder, 'in.csv');
  return [
    ['csv:inspect', { path: secret }],
    ['csv:schema', { source: { kind: 'file', path: secret } }],
    ['csv:autoMatch', { headers: ['Email'], source: { kind: 'file', path: secret } }],
    ['csv:preview', { path: secret, source: schemaSource(), mapping }],
    [
      'csv:prepare',
      {
        jobId: 'j1',
        path: inside,
        source: schemaSource(),
        mapping,
        outPath: target,
        rejectsPath: path.join(dataFolder, 'r.csv'),
      },
    ],
    [
      'csv:prepare',
      {
        jobId: 'j2',
        path: inside,
        source: schemaSource(),
        mapping,
        outPath: path.join(dataFolder, 'o.csv'),
        rejectsPath: target,
        overwrite: true,
      },
    ],
    ['mappings:save', { name: 'x', mapping, source: { kind: 'file', path: secret } }],
    ['mappings:export', { name: 'x', path: path.join(outside, 'mapping.json') }],
    ['mappings:import', { path: secret, source: schemaSource() }],
    ['lists:saveSchema', { orgId: 'sandbox', listId: 'x', filePath: path.join(outside, 's.json') }],
    ['runs:start', { orgId: 'sandbox', listId: 'x', csvPath: secret, mapping }],
    ['runs:exportRows', { runId, outcome: 'failed', path: target, overwrite: true }],
    ['runs:exportReconciliation', { runId, path: target, overwrite: true }],
  ];
}

describe('paths through the contract', () => {
  for (const shell of ['web-host', 'electron'] as const) {
    it(`${shell}: every path channel refuses a path outside the granted folders`, async () => {
      const services = createServices({ version: 't', dataFolder, shell });
      for (const [channel, payload] of hostileCalls()) {
        const result = await dispatch(services, channel, payload);
        expect(result, `${channel} ${JSON.stringify(payload)}`).toMatchObject({
          ok: false,
          error: { code: 'forbidden-path' },
        });
      }
      expect(readdirSync(outside)).toEqual(['credentials']);
    });
  }

  it('web host: a traversal out of the data folder is refused, a path inside it works', async () => {
    const services = createServices({ version: 't', dataFolder, shell: 'web-host' });
    const escape = path.join(dataFolder, '..', path.basename(outside), 'credentials');
    expect(await dispatch(services, 'csv:inspect', { path: escape })).toMatchObject({
      ok: false,
      error: { code: 'forbidden-path' },
    });
    expect(
      await dispatch(services, 'csv:inspect', { path: path.join(dataFolder, 'in.csv') }),
    ).toMatchObject({ ok: true, value: { headers: ['Email'] } });
  });

  it('desktop app: a file picked in the native dialog becomes usable, others stay refused', async () => {
    const picked = path.join(outside, 'picked.csv');
    writeFileSync(picked, 'Email\nb@example.com\n');
    const services = createServices({
      version: 't',
      dataFolder,
      shell: 'electron',
      pickFile: async () => picked,
    });
    expect(await dispatch(services, 'csv:inspect', { path: picked })).toMatchObject({
      ok: false,
      error: { code: 'forbidden-path' },
    });
    await dispatch(services, 'app:pickFile', { purpose: 'open-csv' });
    expect(await dispatch(services, 'csv:inspect', { path: picked })).toMatchObject({
      ok: true,
      value: { headers: ['Email'], sampleRows: [['b@example.com']] },
    });
    // Preparing it writes the proposed clean and rejects files beside it, as new files only.
    const prepared = await dispatch(services, 'csv:prepare', {
      jobId: 'beside',
      path: picked,
      source: schemaSource(),
      mapping,
      outPath: path.join(outside, 'picked.clean.csv'),
      rejectsPath: path.join(outside, 'picked.rejects.csv'),
    });
    expect(prepared).toMatchObject({ ok: true, value: { rowsRead: 1, clean: 1 } });
    expect(existsSync(path.join(outside, 'picked.clean.csv'))).toBe(true);
    expect(
      await dispatch(services, 'csv:inspect', { path: path.join(outside, 'credentials') }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden-path' },
    });
    rmSync(path.join(outside, 'picked.clean.csv'));
    rmSync(path.join(outside, 'picked.rejects.csv'));
    rmSync(picked);
  });
});
