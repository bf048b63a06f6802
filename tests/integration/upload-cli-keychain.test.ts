import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { loadKeytarSecretStore } from '../../core/store';
import { newList, storedIds } from '../support/upload-fixtures';

// `sluice upload --org NAME` as a consultant runs it: the org saved with `sluice orgs add`, its
// secret in the OS keychain under the service SLUICE_KEYCHAIN_SERVICE names (tests never touch
// the real "Sluice" entries), no SLUICE_CLIENT_SECRET. Real processes, real Sandbox, real
// keychain (scripts/with-keyring.sh); with CI set a missing keychain fails, elsewhere it skips.

const execute = promisify(execFile);
const bin = join(process.cwd(), 'bin', 'sluice.js');
const service = `sluice-upload-org-test-${randomUUID()}`;
const probe = await loadKeytarSecretStore(service);
const unavailable = probe.ok ? undefined : probe.reason;
if (unavailable && !process.env.CI) {
  console.warn(
    `upload --org keychain test skipped: ${unavailable}. Run it with scripts/with-keyring.sh.`,
  );
}

const ORG_NAME = 'Keychain Org';
const ROWS = 20;
let sandbox: Sandbox;
let root: string;
let csvPath: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo' });
  root = mkdtempSync(join(tmpdir(), 'sluice-upload-org-'));
  const lines = ['AccountId,FirstName,LastName,HomePhone,Region'];
  for (let n = 1; n <= ROWS; n += 1) {
    lines.push(`KEY-${n},First${n},Last${n},+1317${String(3000000 + n)},Midwest`);
  }
  csvPath = join(root, 'contacts.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  if (probe.ok) await probe.store.delete('keychain-org');
  await sandbox?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Runs the real `sluice` binary; `secret` only when given (never inherited from this process). */
async function sluice(args: string[], secret?: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLUICE_DATA_DIR: join(root, 'data'),
    SLUICE_KEYCHAIN_SERVICE: service,
  };
  delete env.SLUICE_CLIENT_SECRET;
  if (secret !== undefined) env.SLUICE_CLIENT_SECRET = secret;
  return execute(process.execPath, [bin, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

function uploadToNewList(name: string, secret?: string) {
  const listId = newList(sandbox, name);
  const runDir = join(root, 'runs', name);
  const args = ['upload', '--csv', csvPath, '--list', listId, '--org', ORG_NAME];
  args.push('--auto-map', '--id-column', 'AccountId', '--run-dir', runDir, '--json');
  return { listId, result: sluice(args, secret) };
}

const expected = Array.from({ length: ROWS }, (_, index) => `KEY-${index + 1}`).sort();

describe.skipIf(unavailable !== undefined && !process.env.CI)(
  'sluice upload --org with the secret in the OS keychain',
  () => {
    beforeAll(async () => {
      if (!probe.ok) throw new Error(`CI needs a working OS keychain: ${probe.reason}`);
      const org = sandbox.orgs[0]!;
      const added = await sluice(
        ['orgs', 'add', '--name', ORG_NAME, '--base-url', sandbox.url, '--client-id', org.clientId],
        org.clientSecret,
      );
      expect(added.code, added.stderr).toBe(0);
      // `orgs add` honours SLUICE_KEYCHAIN_SERVICE: the secret is under this test's service.
      expect(await probe.store.get('keychain-org')).toBe(org.clientSecret);
    });

    it('uploads with the secret from SLUICE_CLIENT_SECRET (the rest of the --org path works)', async () => {
      const { listId, result } = uploadToNewList('org-env-secret', sandbox.orgs[0]!.clientSecret);
      const { code, stderr } = await result;
      expect(code, stderr).toBe(0);
      expect(storedIds(sandbox, listId)).toEqual(expected);
    });

    it('reads the secret from the keychain under SLUICE_KEYCHAIN_SERVICE', async () => {
      const { listId, result } = uploadToNewList('org-keychain-secret');
      const { code, stderr } = await result;
      expect(code, stderr).toBe(0);
      expect(storedIds(sandbox, listId)).toEqual(expected);
    });
  },
);
