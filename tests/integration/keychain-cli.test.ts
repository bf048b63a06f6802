import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/index';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { OrgRegistry } from '../../core/services';
import { loadKeytarSecretStore } from '../../core/store';

/**
 * `sluice orgs add|list|test|remove` as a consultant runs it, against a sandbox, with the secret
 * in the OS keychain (run through scripts/with-keyring.sh). With CI set, a missing keychain
 * fails the test; elsewhere it skips with the reason printed. Also checks that the app's
 * registry sees what the CLI saved (same profiles file, same keychain), and that the secret is
 * in no file the CLI wrote.
 */
const run = promisify(execFile);
const service = `Sluice-cli-test-${process.pid}`;
const probe = await loadKeytarSecretStore(service);
const unavailable = probe.ok ? undefined : probe.reason;
if (unavailable && !process.env.CI) {
  console.warn(`keychain CLI test skipped: ${unavailable}. Run it with scripts/with-keyring.sh.`);
}

let sandbox: Sandbox;
let dataFolder: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo', overrides: {} });
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-'));
});
afterAll(async () => {
  await sandbox?.stop();
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

/** Runs `sluice ...` in this process (as bin/sluice.js does) and captures its output. */
async function sluice(args: string[], env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, {
    SLUICE_DATA_DIR: dataFolder,
    SLUICE_KEYCHAIN_SERVICE: service,
    ...env,
  });
  if (!('SLUICE_CLIENT_SECRET' in env)) delete process.env.SLUICE_CLIENT_SECRET;
  const output = { stdout: '', stderr: '' };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output.stdout += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    output.stderr += String(chunk);
    return true;
  });
  try {
    process.exitCode = undefined;
    const code = await main(['node', 'sluice', ...args]);
    return { code, ...output };
  } finally {
    process.exitCode = undefined;
    stdout.mockRestore();
    stderr.mockRestore();
    process.env = saved;
  }
}

describe.skipIf(unavailable !== undefined && !process.env.CI)(
  'sluice orgs with the OS keychain',
  () => {
    it('adds, lists, tests and removes an org; the secret stays in the keychain only', async () => {
      if (!probe.ok) throw new Error(`CI needs a working OS keychain: ${probe.reason}`);
      const org = sandbox.orgs[0]!;
      const added = await sluice(
        [
          'orgs',
          'add',
          '--name',
          'Sandbox via CLI',
          '--base-url',
          sandbox.url,
          '--client-id',
          org.clientId,
        ],
        { SLUICE_CLIENT_SECRET: org.clientSecret },
      );
      expect(added.stderr).toBe('');
      expect(added.stdout).toContain('Added Sandbox via CLI as "sandbox-via-cli"');
      expect(await probe.store.get('sandbox-via-cli')).toBe(org.clientSecret);

      // One real process, as a consultant runs it: same profiles file and keychain.
      const spawned = await run(process.execPath, ['bin/sluice.js', 'orgs', 'list', '--json'], {
        env: { ...process.env, SLUICE_DATA_DIR: dataFolder, SLUICE_KEYCHAIN_SERVICE: service },
      });
      expect(JSON.parse(spawned.stdout)).toMatchObject([
        { id: 'sandbox-via-cli', hasSecret: true },
      ]);

      const listed = await sluice(['orgs', 'list']);
      expect(listed.stdout).toMatch(
        /sandbox-via-cli\s+Sandbox via CLI\s+http:\/\/127\.0\.0\.1:\d+\s+client-credentials\s+\S+\s+stored/,
      );

      const tested = await sluice(['orgs', 'test', 'sandbox-via-cli']);
      expect(tested.code).toBe(0);
      expect(tested.stdout).toContain('Contact lists: visible');
      expect(tested.stdout).toContain('client.credentials.token.rate.per.minute = 300');

      // The app's registry reads the same profile and the same keychain entry.
      const registry = new OrgRegistry({ dataFolder, secretStore: probe.store });
      await expect(registry.test('sandbox-via-cli')).resolves.toMatchObject({
        canViewContactLists: true,
      });
      registry.signOutAll();

      // A wrong secret: one line, actionable, exit 1, no stack.
      await probe.store.set('wrong', 'nope');
      const wrong = await sluice(
        ['orgs', 'add', '--name', 'Wrong', '--base-url', sandbox.url, '--client-id', org.clientId],
        { SLUICE_CLIENT_SECRET: 'not-the-secret' },
      );
      expect(wrong.code).toBe(0);
      const refused = await sluice(['orgs', 'test', 'wrong']);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/^sluice: The client id or secret was refused by Wrong/);

      for (const file of listFiles(dataFolder)) {
        const text = fs.readFileSync(file, 'utf8');
        expect(text, file).not.toContain(org.clientSecret);
        expect(text, file).not.toContain('not-the-secret');
      }

      expect((await sluice(['orgs', 'remove', 'sandbox-via-cli'])).code).toBe(0);
      expect((await sluice(['orgs', 'remove', 'wrong'])).code).toBe(0);
      expect(await probe.store.get('sandbox-via-cli')).toBeUndefined();
      const missing = await sluice(['orgs', 'remove', 'sandbox-via-cli']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No org "sandbox-via-cli" is saved');
    });

    it('refuses a secret passed any other way than the environment or the prompt', async () => {
      const add = ['orgs', 'add', '--name', 'X', '--region', 'eu_west_1', '--client-id', 'c'];
      const noSecret = await sluice(add);
      expect(noSecret.code).toBe(1);
      expect(noSecret.stderr).toContain('set SLUICE_CLIENT_SECRET');
      const flag = await sluice([...add, '--client-secret', 's']);
      expect(flag.code).toBe(1);
      expect(flag.stderr).toContain("unknown option '--client-secret'");
    });
  },
);

function listFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
