import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

// `npx sluice` works straight after `npm install`: package.json "bin" → bin/sluice.js → the
// bundle in dist/cli that the "prepare" script builds (the integration setup rebuilds it).
function npx(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return run('npx', ['--no-install', 'sluice', ...args], env);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-help-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('sluice command line', () => {
  it('npx sluice --help lists every command and the --verbose option', async () => {
    const result = await npx(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['sandbox', 'prepare', 'orgs', 'upload', 'resume', 'retry', 'runs']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('--verbose');
  });

  it('--version prints the package version (carried inside the bundle)', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const result = await npx(['--version']);
    expect(result.stdout.trim()).toBe(version);
  });

  it('an unknown command exits 1 with a short message, no stack trace', async () => {
    const result = await npx(['frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs without a TypeScript loader: tsx is only a development dependency', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
    expect(readFileSync('bin/sluice.js', 'utf8')).not.toContain('tsx');
  });

  it('says how to build the bundle when it is missing, instead of a stack trace', async () => {
    const bin = path.join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync('bin/sluice.js', path.join(bin, 'sluice.js'));
    const result = await run(
      process.execPath,
      [path.join(bin, 'sluice.js'), '--help'],
      process.env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /bundle \(dist\/cli\/sluice\.js\) is missing\. Run `npm run build:cli`/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--verbose echoes the log lines on stderr and they land in <data folder>/logs', async () => {
    const dataFolder = path.join(scratch, 'data');
    const result = await npx(['runs', '--run-dir', path.join(scratch, 'runs'), '--verbose'], {
      ...process.env,
      SLUICE_DATA_DIR: dataFolder,
    });
    expect(result.code).toBe(0);
    const echoed = JSON.parse(result.stderr.trim().split('\n')[0] ?? '{}') as Record<
      string,
      unknown
    >;
    expect(echoed).toMatchObject({ process: 'cli', command: 'runs', level: 'info' });
    const file = readFileSync(path.join(dataFolder, 'logs', 'sluice.1.log'), 'utf8');
    expect(file).toContain('"command":"runs"');
  });

  it('a log folder that cannot be written never stops a command', async () => {
    const dataFolder = path.join(scratch, 'data-unwritable');
    mkdirSync(dataFolder, { recursive: true });
    writeFileSync(path.join(dataFolder, 'logs'), 'a file where the logs folder should be');
    const env = { ...process.env, SLUICE_DATA_DIR: dataFolder };
    const runsFolder = path.join(scratch, 'runs-unwritable');
    const quiet = await npx(['runs', '--run-dir', runsFolder], env);
    expect(quiet).toMatchObject({ code: 0, stdout: 'No runs yet.\n', stderr: '' });
    const verbose = await npx(['runs', '--run-dir', runsFolder, '--verbose'], env);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/^sluice: no log file this time \(.+\)\n$/);
  });
});
