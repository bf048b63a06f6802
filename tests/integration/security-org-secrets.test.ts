import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { createServices, dispatch, OrgRegistry } from '../../core/services';
import { createMemorySecretStore } from '../../core/store';

/**
 * A stored client secret is bound to the host and client it was given for: changing the region,
 * the API URL or the client id forgets it, so the next sign-in cannot carry it to another host.
 */
let sandbox: Sandbox;
let dataFolder: string;
let listener: http.Server;
let listenerUrl: string;
const seenAuthorization: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo' });
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-org-secrets-'));
  // Stands in for a host an attacker controls: it records what a sign-in would send it.
  listener = http.createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization ?? '');
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"nope"}');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox?.stop();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

async function setUp() {
  const registry = new OrgRegistry({ dataFolder, secretStore: createMemorySecretStore() });
  const services = createServices({ version: 't', dataFolder, shell: 'web-host', orgs: registry });
  const org = sandbox.orgs[0];
  if (!org) throw new Error('sandbox org missing');
  const added = await dispatch(services, 'orgs:add', {
    name: `Acme ${Math.random().toString(16).slice(2, 8)}`,
    region: 'custom',
    apiUrl: sandbox.url,
    authMethod: 'client-credentials',
    clientId: org.clientId,
    clientSecret: org.clientSecret,
  });
  if (!added.ok) throw new Error(added.error.message);
  const id = (added.value as { id: string }).id;
  return { services, id, secret: org.clientSecret, clientId: org.clientId };
}

describe('client secrets bound to their org', () => {
  it('a changed API URL forgets the secret: the new host never receives it', async () => {
    const { services, id, secret, clientId } = await setUp();
    expect(await dispatch(services, 'orgs:signIn', { id })).toMatchObject({ ok: true });
    const moved = await dispatch(services, 'orgs:update', { id, apiUrl: listenerUrl });
    expect(moved).toMatchObject({ ok: true, value: { hasSecret: false, apiUrl: listenerUrl } });
    const signIn = await dispatch(services, 'orgs:signIn', { id });
    expect(signIn.ok).toBe(false);
    const basic = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
    expect(seenAuthorization).not.toContain(basic);
    expect(seenAuthorization.join(' ')).not.toContain(Buffer.from(secret).toString('base64'));
  });

  it('a changed client id or region forgets the secret; a name change keeps it', async () => {
    const { services, id } = await setUp();
    expect(await dispatch(services, 'orgs:update', { id, name: 'Renamed' })).toMatchObject({
      ok: true,
      value: { hasSecret: true },
    });
    expect(await dispatch(services, 'orgs:update', { id, clientId: 'other-client' })).toMatchObject(
      { ok: true, value: { hasSecret: false } },
    );
    const again = await setUp();
    expect(
      await dispatch(again.services, 'orgs:update', { id: again.id, region: 'eu_west_1' }),
    ).toMatchObject({ ok: true, value: { hasSecret: false } });
    // Moving and giving the secret for the new place in the same update keeps the new secret.
    expect(
      await dispatch(again.services, 'orgs:update', {
        id: again.id,
        region: 'us_east_1',
        clientSecret: 'new-secret',
      }),
    ).toMatchObject({ ok: true, value: { hasSecret: true } });
  });

  it('plain http is refused for any host but this machine', async () => {
    const { services, id } = await setUp();
    for (const apiUrl of [
      'http://example.com',
      'http://10.0.0.5:8080',
      'http://127.0.0.1.evil.com',
    ]) {
      expect(await dispatch(services, 'orgs:update', { id, apiUrl }), apiUrl).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', message: expect.stringContaining('https') },
      });
      const added = await dispatch(services, 'orgs:add', {
        name: 'Plain',
        region: 'custom',
        apiUrl,
        authMethod: 'client-credentials',
        clientId: 'c',
      });
      expect(added, apiUrl).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    for (const apiUrl of [
      'https://api.example.com',
      'http://localhost:4100',
      'http://[::1]:4100',
    ]) {
      expect(await dispatch(services, 'orgs:update', { id, apiUrl }), apiUrl).toMatchObject({
        ok: true,
      });
    }
  });
});
