import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// `npx sluice` works straight after `npm install` (package.json "bin" → bin/sluice.js → tsx).
function npx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['--no-install', 'sluice', ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('sluice command line', () => {
  it('npx sluice --help lists every command', async () => {
    const run = await npx(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['sandbox', 'prepare', 'orgs', 'upload', 'resume', 'retry', 'runs']) {
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('an unknown command exits 1 with a short message, no stack trace', async () => {
    const run = await npx(['frobnicate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
