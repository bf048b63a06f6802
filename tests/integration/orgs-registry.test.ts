import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { OrgRegistry } from '../../core/services';
import { createMemorySecretStore } from '../../core/store';

/** The registry's own rules: shared first sign-in, edits that end sessions, the built-in org. */
let sandbox: Sandbox;
let dataFolder: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo' });
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-registry-'));
});
afterAll(async () => {
  await sandbox?.stop();
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

describe('OrgRegistry', () => {
  it('shares one sign-in between concurrent first uses of an org', async () => {
    const registry = new OrgRegistry({
      dataFolder,
      secretStore: createMemorySecretStore(),
      sandbox,
    });
    const before = sandbox.inspect.counters().tokensIssued;
    const connections = await Promise.all([
      registry.connection('sandbox'),
      registry.connection('sandbox'),
      registry.connection('sandbox'),
    ]);
    expect(new Set(connections).size).toBe(1);
    expect(sandbox.inspect.counters().tokensIssued - before).toBe(1);
    expect((await registry.get('sandbox')).status).toBe('signed-in');
    registry.signOutAll();
  });

  it('keeps the secret on edits without one, ends the session when sign-in details change', async () => {
    const secrets = createMemorySecretStore();
    const registry = new OrgRegistry({ dataFolder, secretStore: secrets });
    const org = sandbox.orgs[0]!;
    const added = await registry.add({
      name: 'Editable',
      region: 'custom',
      apiUrl: `${sandbox.url}/`,
      authMethod: 'client-credentials',
      clientId: org.clientId,
      clientSecret: org.clientSecret,
    });
    expect(added).toMatchObject({
      id: 'editable',
      apiUrl: sandbox.url,
      hasSecret: true,
      status: 'signed-out',
    });
    await registry.signIn('editable');

    const renamed = await registry.update({ id: 'editable', name: 'Renamed' });
    expect(renamed).toMatchObject({ name: 'Renamed', status: 'signed-in', hasSecret: true });
    expect(await secrets.get('editable')).toBe(org.clientSecret);

    const moved = await registry.update({ id: 'editable', region: 'eu_west_1' });
    expect(moved).toMatchObject({
      region: 'eu_west_1',
      apiUrl: 'https://api.mypurecloud.ie',
      status: 'signed-out',
    });

    const pkce = await registry.update({ id: 'editable', authMethod: 'pkce', redirectPort: 48123 });
    expect(pkce).toMatchObject({ authMethod: 'pkce', redirectPort: 48123, hasSecret: false });
    const cleared = await registry.update({ id: 'editable', redirectPort: null });
    expect(cleared.redirectPort).toBeUndefined();

    expect(await registry.remove('editable')).toBe(true);
    expect(await secrets.get('editable')).toBeUndefined();
    await expect(registry.get('editable')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('protects the built-in Sandbox and names a missing secret', async () => {
    const registry = new OrgRegistry({
      dataFolder,
      secretStore: createMemorySecretStore(),
      sandbox,
    });
    await expect(registry.update({ id: 'sandbox', name: 'Mine' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await registry.add({
      name: 'No Secret',
      region: 'us_east_1',
      authMethod: 'client-credentials',
      clientId: 'c',
    });
    expect((await registry.get('no-secret')).hasSecret).toBe(false);
    await expect(registry.signIn('no-secret')).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/No client secret is stored for No Secret in this session/),
    });
    await expect(registry.signIn('no-such-org')).rejects.toMatchObject({ code: 'not-found' });
    await registry.remove('no-secret');
  });

  it('reports a keychain that refuses the secret, and saves no half-added org', async () => {
    const locked = {
      ...createMemorySecretStore(),
      set: async () => {
        throw new Error(
          'The OS keychain refused to store a secret (locked). Unlock the keychain and try again.',
        );
      },
    };
    const registry = new OrgRegistry({ dataFolder, secretStore: locked });
    await expect(
      registry.add({
        name: 'Locked',
        region: 'eu_west_1',
        authMethod: 'client-credentials',
        clientId: 'c',
        clientSecret: 's',
      }),
    ).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/Unlock the keychain/),
    });
    expect((await registry.list()).map((org) => org.id)).not.toContain('locked');
  });
});
