import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `sluice --help` stays fast because each command's implementation is imported only when the
// command runs (cli/commands/*: registration vs actions; cli/lazy-command.ts for prepare and
// upload/resume/retry). These tests run the bundle (bin/sluice.js → dist/cli, rebuilt by the
// integration setup) with a module-resolution hook that reports every module the process loads.

const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-lazy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hooks = path.join(scratch, 'report-loads-hooks.mjs');
writeFileSync(
  hooks,
  `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  writeSync(2, '@loaded ' + result.url + '\\n');
  return result;
}
`,
);
const register = path.join(scratch, 'report-loads.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);

function sluice(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', register, 'bin/sluice.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SLUICE_DATA_DIR: path.join(scratch, 'data') },
  });
  const loaded = [...result.stderr.matchAll(/^@loaded (.+)$/gm)].map((match) => match[1] ?? '');
  const stderr = result.stderr.replace(/^@loaded .+\n/gm, '');
  return { code: result.status, stdout: result.stdout, stderr, loaded };
}

describe('sluice loads a command only when it runs', () => {
  it('--help loads commander and the registrations, none of the implementations', () => {
    const help = sluice(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^\s+resume \[options\] <run>\s/m);
    for (const heavy of [
      '/zod/',
      '/conf/',
      '/pino/',
      '/ws/',
      'purecloud-platform-client-v2',
      '-actions-',
      '/chunks/upload-',
      '/chunks/prepare-',
    ]) {
      expect(help.loaded.filter((url) => url.includes(heavy))).toEqual([]);
    }
    expect(help.loaded.some((url) => url.includes('/commander/'))).toBe(true);
  });

  it('a stand-in command shows the real options, checks and errors', () => {
    const upload = sluice(['upload', '--help']);
    expect(upload.code, upload.stderr).toBe(0);
    expect(upload.stdout).toContain('Usage: sluice upload [options]');
    expect(upload.stdout).toContain('--strategy <name>');
    expect(upload.loaded.some((url) => url.includes('/chunks/upload-'))).toBe(true);

    const resume = sluice(['resume']);
    expect(resume.code, resume.stderr).toBe(1);
    expect(resume.stderr).toContain("missing required argument 'run'");

    const prepare = sluice(['prepare', '--csv', 'a.csv']);
    expect(prepare.code, prepare.stderr).toBe(1);
    expect(prepare.stderr).toContain("required option '--out <file>' not specified");
  });

  it('a command split in registration and actions loads its actions when it runs', () => {
    const regions = sluice(['orgs', 'regions']);
    expect(regions.code, regions.stderr).toBe(0);
    expect(regions.stdout).toMatch(/^eu_west_1\s+https:\/\/api\.mypurecloud\.ie/m);
    expect(regions.loaded.some((url) => url.includes('/chunks/orgs-actions-'))).toBe(true);

    const sandbox = sluice(['sandbox', '--scenario', 'nope']);
    expect(sandbox.code, sandbox.stderr).toBe(1);
    expect(sandbox.stderr).toBe(
      'sluice: --scenario nope is not a scenario: use one of demo, field-report, flaky, strict.\n',
    );
  });
});
