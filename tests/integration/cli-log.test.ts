import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../core/sandbox';

const root = mkdtempSync(join(tmpdir(), 'sluice-cli-log-'));
const bin = join(process.cwd(), 'bin', 'sluice.js');
let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sluice(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('the log of a CLI upload', () => {
  it("holds the run's correlation ids (every 429 the Sandbox answered) and no secret or token", async () => {
    // A hidden per-client limit: the headers do not describe it, so the run meets 429s.
    sandbox = await startSandbox({
      scenario: 'demo',
      overrides: {
        limits: [
          {
            name: 'hidden',
            scope: 'client',
            requests: 4,
            windowMs: 1000,
            window: 'fixed',
            reported: false,
          },
        ],
      },
    });
    const org = sandbox.orgs[0];
    if (!org) throw new Error('the demo scenario has an org');
    const listId = sandbox.inspect.createContactList(org.id, {
      name: 'Log test',
      columnNames: ['AccountId', 'HomePhone'],
      phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
    }).id;
    const rows = ['AccountId,HomePhone'];
    for (let n = 1; n <= 200; n += 1)
      rows.push(`ACC-${n},${n === 7 ? '12' : `+1317${2000000 + n}`}`);
    const csv = join(root, 'contacts.csv');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const dataFolder = join(root, 'data');

    const result = await sluice(
      [
        'upload',
        '--csv',
        csv,
        '--list',
        listId,
        '--api-url',
        sandbox.url,
        '--client-id',
        org.clientId,
        '--auto-map',
        '--id-column',
        'AccountId',
        '--batch-size',
        '10',
        '--json',
      ],
      { SLUICE_CLIENT_SECRET: org.clientSecret, SLUICE_DATA_DIR: dataFolder },
    );
    expect(result.code).toBe(3); // one row rejected by validation
    const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(outcome).toMatchObject({ rowsRead: 200, uploaded: 199, rejected: 1, failed: 0 });
    expect(sandbox.inspect.contacts(listId)).toHaveLength(199);

    const contactPosts = sandbox.inspect
      .requests()
      .filter((request) => request.method === 'POST' && request.path.endsWith('/contacts'));
    const throttled = contactPosts.filter((request) => request.status === 429);
    expect(throttled.length).toBeGreaterThan(0);

    const logFolder = join(dataFolder, 'logs');
    const text = readdirSync(logFolder)
      .map((name) => readFileSync(join(logFolder, name), 'utf8'))
      .join('');
    const entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const runId = String(outcome.runId);
    // Every 429 the Sandbox answered is traceable in the log by its correlation id.
    for (const request of throttled) expect(text).toContain(request.correlationId);
    expect(entries).toContainEqual(
      expect.objectContaining({
        runId,
        outcome: 'retrying',
        status: 429,
        level: 'warn',
        org: expect.any(String),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        event: 'run-finished',
        runId,
        uploaded: 199,
        rejected: 1,
        invariantHolds: true,
      }),
    );

    expect(text).not.toContain(org.clientSecret);
    expect(text).not.toMatch(/bearer\s|basic\s|access_token|eyJ/i);
    // Sandbox tokens are 43 characters of base64url: nothing that long and unbroken is logged.
    expect(text.match(/[A-Za-z0-9_-]{40,}/g) ?? []).toEqual([]);
  });
});
