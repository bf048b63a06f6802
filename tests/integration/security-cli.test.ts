import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSluice } from '../support/sluice-cli';

const LIST = { id: 'l', name: 'L', columnNames: ['Email'], phoneColumns: [] };
const CSV = 'Email\na@example.com\nb@example.com\n';

let folder: string;
let listener: http.Server;
let listenerUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'sluice-sec-cli-'));
  writeFileSync(join(folder, 'list.json'), JSON.stringify(LIST));
  writeFileSync(join(folder, 'in.csv'), CSV);
  // Stands in for the host a foreign run.json names: records whatever reaches it.
  listener = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`);
    response.writeHead(401).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  rmSync(folder, { recursive: true, force: true });
});

const sluice = (args: string[], env: Record<string, string> = {}) =>
  execSluice(args, { cwd: folder, env: { SLUICE_DATA_DIR: folder, ...env } });

const prepare = (out: string, rejects: string, extra: string[] = []) =>
  sluice([
    'prepare',
    ...['--csv', 'in.csv', '--schema', 'list.json', '--auto-map'],
    ...['--out', out, '--rejects', rejects, ...extra],
  ]);

describe('sluice prepare never erases a file it was not told to', () => {
  it('refuses an existing output without --overwrite, replaces it with', async () => {
    writeFileSync(join(folder, 'keep.csv'), 'my edits\n');
    const refused = await prepare('keep.csv', 'r1.csv');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/keep\.csv already exist.*--overwrite/);
    expect(readFileSync(join(folder, 'keep.csv'), 'utf8')).toBe('my edits\n');
    const replaced = await prepare('keep.csv', 'r1.csv', ['--overwrite']);
    expect(replaced.code).toBe(0);
    expect(readFileSync(join(folder, 'keep.csv'), 'utf8')).toContain('a@example.com');
  });

  it('refuses an output that is the input, even with --overwrite', async () => {
    const refused = await prepare('in.csv', 'r2.csv', ['--overwrite']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/erased/);
    expect(readFileSync(join(folder, 'in.csv'), 'utf8')).toBe(CSV);
  });
});

describe('sluice resume of a run without a saved org', () => {
  it('does not send SLUICE_CLIENT_SECRET to the host a foreign run.json names', async () => {
    const runDir = join(folder, 'foreign-run');
    mkdirSync(runDir);
    writeFileSync(
      join(runDir, 'run.json'),
      JSON.stringify({
        runId: '20260101-000000-beef',
        createdAt: '2026-01-01T00:00:00Z',
        orgName: 'x',
        orgKey: 'x',
        apiUrl: listenerUrl,
        clientId: 'attacker-client',
        contactListId: 'l',
        strategy: 'contacts',
        csvPath: join(folder, 'in.csv'),
        batchSize: 10,
        headroom: 0.1,
      }),
    );
    const resumed = await sluice(['resume', runDir, '--json'], {
      SLUICE_CLIENT_SECRET: 'top-secret-value',
    });
    expect(resumed.code).not.toBe(0);
    expect(resumed.stderr).toContain('--api-url');
    expect(requests).toEqual([]);
  });
});
