import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SLUICE = join(process.cwd(), 'bin', 'sluice.js');

describe('sluice sandbox', () => {
  it('prints its URL and credentials, serves, and stops cleanly on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [SLUICE, 'sandbox', '--scenario', 'demo', '--port', '0', '--seed', '3'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match?.[1] !== undefined && output.includes('Stop:')) resolve(match[1]);
        });
        child.once('exit', (code) =>
          reject(new Error(`sluice sandbox exited early (${code}): ${output}`)),
        );
      });
      expect(output).toContain('client id sandbox-client');
      expect(output).toContain('secret sandbox-secret');
      const token = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(200);
      const exitCode = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exitCode).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('documents every option in --help', () => {
    const help = spawnSync(process.execPath, [SLUICE, 'sandbox', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const option of [
      '--scenario',
      '--port',
      '--config',
      '--seed',
      'field-report',
      'flaky',
      'strict',
    ]) {
      expect(help.stdout).toContain(option);
    }
  });

  it('refuses a bad overrides file with a one-line message and exit code 1', () => {
    const directory = mkdtempSync(join(tmpdir(), 'sluice-sandbox-'));
    const file = join(directory, 'overrides.json');
    writeFileSync(file, JSON.stringify({ faults: { status503: 7 } }));
    const run = spawnSync(process.execPath, [SLUICE, 'sandbox', '--config', file], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/faults\.status503/)]);
  });
});
