import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../../core/contract';
import { startAppRuntime } from '../../core/services/app-runtime';
import { loadKeytarSecretStore, SECRET_SERVICE_NAME } from '../../core/store';

// The shells file org secrets under SLUICE_KEYCHAIN_SERVICE when it is set, so tests and a
// developer's scratch runs never read or write the real "Sluice" keychain entries. Runs against
// the private gnome-keyring of scripts/with-keyring.sh; with CI set a missing keychain fails,
// elsewhere the suite skips and says why.

const root = mkdtempSync(join(tmpdir(), 'sluice-keychain-service-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const probe = await loadKeytarSecretStore(`sluice-service-probe-${randomUUID()}`);
const unavailable = probe.ok ? undefined : probe.reason;
if (unavailable && !process.env.CI) {
  console.warn(
    `keychain service test skipped: ${unavailable}. Run it with scripts/with-keyring.sh.`,
  );
}

/** What the keychain holds for `account` under the test's service and under "Sluice". */
async function whereIsSecret(service: string, account: string) {
  const own = await loadKeytarSecretStore(service);
  const real = await loadKeytarSecretStore(SECRET_SERVICE_NAME);
  if (!own.ok || !real.ok) throw new Error('CI needs a working OS keychain');
  const found = { own: await own.store.get(account), real: await real.store.get(account) };
  await own.store.delete(account);
  return found;
}

const orgInput = (secret: string) => ({
  name: `Service Test ${randomUUID().slice(0, 8)}`,
  region: 'eu_west_1',
  authMethod: 'client-credentials',
  clientId: 'service-test-client',
  clientSecret: secret,
});

describe.skipIf(unavailable !== undefined && !process.env.CI)('SLUICE_KEYCHAIN_SERVICE', () => {
  it('startAppRuntime files a new org secret under it, never under "Sluice"', async () => {
    const service = `sluice-runtime-test-${randomUUID()}`;
    const previous = process.env.SLUICE_KEYCHAIN_SERVICE;
    process.env.SLUICE_KEYCHAIN_SERVICE = service;
    try {
      const runtime = await startAppRuntime({
        version: 'test',
        dataFolder: join(root, 'runtime'),
        shell: 'web-host',
        sandbox: false,
      });
      const org = await runtime.orgs.add(orgInput('runtime-secret') as never);
      await runtime.close();
      expect(await whereIsSecret(service, org.id)).toEqual({
        own: 'runtime-secret',
        real: undefined,
      });
    } finally {
      if (previous === undefined) delete process.env.SLUICE_KEYCHAIN_SERVICE;
      else process.env.SLUICE_KEYCHAIN_SERVICE = previous;
    }
  });

  it('the web host (dist/host bundle) files a secret added over its socket under it', async () => {
    const service = `sluice-host-test-${randomUUID()}`;
    const dataFolder = join(root, 'host');
    const host: ChildProcess = spawn(
      process.execPath,
      ['dist/host/main.js', '--json', '--no-sandbox', '--data-dir', dataFolder],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, SLUICE_KEYCHAIN_SERVICE: service },
      },
    );
    const exited = new Promise<number | null>((resolve) => host.once('exit', resolve));
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: host.stdout! }).once('line', resolve);
        host.once('exit', (code) => reject(new Error(`host exited early with code ${code}`)));
      });
      const address = JSON.parse(first) as { origin: string; token: string };
      const url = `${address.origin.replace('http', 'ws')}/api/socket?token=${address.token}`;
      const socket = new WebSocket(url, { origin: address.origin });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const answer = new Promise<WireMessage>((resolve) =>
        socket.once('message', (data) => resolve(JSON.parse(String(data)) as WireMessage)),
      );
      socket.send(
        JSON.stringify({
          type: 'call',
          id: 1,
          channel: 'orgs:add',
          payload: orgInput('host-secret'),
        }),
      );
      const message = await answer;
      socket.close();
      expect(message).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
      const org = (message as { result: { value: { id: string } } }).result.value;
      expect(await whereIsSecret(service, org.id)).toEqual({ own: 'host-secret', real: undefined });
    } finally {
      host.kill('SIGTERM');
    }
    // conf's exit hook raises SIGTERM a second time; the host still stops cleanly, once.
    expect(await exited).toBe(0);
  });
});
