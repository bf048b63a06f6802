import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { createServices, dispatch, OrgRegistry } from '../../core/services';
import { createMemorySecretStore } from '../../core/store';

/**
 * Orgs against real sandboxes through the real SDK: two orgs on two sandbox instances with
 * different limits, signed in and listed at once; failures mapped to actionable messages.
 */
let demo: Sandbox;
let strict: Sandbox;
let dataFolder: string;

beforeAll(async () => {
  [demo, strict] = await Promise.all([
    startSandbox({ scenario: 'demo' }),
    startSandbox({ scenario: 'strict' }),
  ]);
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-orgs-'));
});
afterAll(async () => {
  await Promise.all([demo?.stop(), strict?.stop()]);
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

function call(services: ReturnType<typeof createServices>, channel: string, payload: unknown) {
  return dispatch(services, channel, payload);
}

describe('orgs services against two sandboxes', () => {
  it('adds two orgs, signs both in, and reads their different limits at once', async () => {
    const secretStore = createMemorySecretStore();
    const registry = new OrgRegistry({ dataFolder, secretStore, sandbox: demo });
    const services = createServices({
      version: 't',
      dataFolder,
      shell: 'web-host',
      orgs: registry,
    });

    const first = demo.orgs[0];
    const second = strict.orgs[0];
    if (!first || !second) throw new Error('sandbox orgs missing');
    const added = await Promise.all([
      call(services, 'orgs:add', {
        name: 'Acme Demo',
        region: 'custom',
        apiUrl: demo.url,
        authMethod: 'client-credentials',
        clientId: first.clientId,
        clientSecret: first.clientSecret,
      }),
      call(services, 'orgs:add', {
        name: 'Beta Strict',
        region: 'custom',
        apiUrl: strict.url,
        authMethod: 'client-credentials',
        clientId: second.clientId,
        clientSecret: second.clientSecret,
      }),
    ]);
    for (const result of added) expect(result).toMatchObject({ ok: true });
    const listed = await call(services, 'orgs:list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const orgs = listed.value as { id: string; builtIn: boolean; hasSecret: boolean }[];
    expect(orgs.map((org) => org.id)).toEqual(['sandbox', 'acme-demo', 'beta-strict']);
    expect(orgs.every((org) => org.hasSecret)).toBe(true);
    expect(JSON.stringify(orgs)).not.toContain(first.clientSecret);

    const signedIn = await Promise.all(
      ['acme-demo', 'beta-strict'].map((id) => call(services, 'orgs:signIn', { id })),
    );
    for (const result of signedIn)
      expect(result).toMatchObject({ ok: true, value: { status: 'signed-in' } });

    const reports = await Promise.all(
      ['acme-demo', 'beta-strict'].map((id) => call(services, 'orgs:test', { id })),
    );
    const rate = (result: (typeof reports)[number]) => {
      if (!result.ok) throw new Error(result.error.message);
      const report = result.value as {
        limits: { key: string; value: number }[];
        canViewContactLists: boolean;
      };
      expect(report.canViewContactLists).toBe(true);
      return report.limits.find((limit) => limit.key === 'client.credentials.token.rate.per.minute')
        ?.value;
    };
    expect(rate(reports[0]!)).toBe(300);
    expect(rate(reports[1]!)).toBe(180);

    const pages = await Promise.all(
      ['acme-demo', 'beta-strict', 'sandbox'].map((orgId) =>
        call(services, 'lists:search', { orgId }),
      ),
    );
    for (const page of pages) {
      if (!page.ok) throw new Error(page.error.message);
      expect((page.value as { total: number }).total).toBeGreaterThan(0);
    }

    // Signing one org out leaves the other signed in.
    await call(services, 'orgs:signOut', { id: 'acme-demo' });
    const after = await registry.list();
    expect(after.find((org) => org.id === 'acme-demo')?.status).toBe('signed-out');
    expect(after.find((org) => org.id === 'beta-strict')?.status).toBe('signed-in');
    registry.signOutAll();
  });

  it('maps a wrong secret and an unreachable host to actionable errors, and never echoes the secret', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-orgs-bad-'));
    try {
      const registry = new OrgRegistry({
        dataFolder: folder,
        secretStore: createMemorySecretStore(),
      });
      const services = createServices({
        version: 't',
        dataFolder: folder,
        shell: 'web-host',
        orgs: registry,
      });
      const wrong = 'definitely-wrong-secret-123';
      await registry.add({
        name: 'Wrong Secret',
        region: 'custom',
        apiUrl: demo.url,
        authMethod: 'client-credentials',
        clientId: demo.orgs[0]!.clientId,
        clientSecret: wrong,
      });
      const refused = await call(services, 'orgs:test', { id: 'wrong-secret' });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'unauthorized',
          message: expect.stringMatching(/client id or secret was refused by Wrong Secret/),
        },
      });
      expect(JSON.stringify(refused)).not.toContain(wrong);
      expect((await registry.get('wrong-secret')).status).toBe('error');

      const stopped = await startSandbox({ scenario: 'demo' });
      const url = stopped.url;
      await stopped.stop();
      await registry.add({
        name: 'Gone',
        region: 'custom',
        apiUrl: url,
        authMethod: 'client-credentials',
        clientId: 'x',
        clientSecret: 'y',
      });
      const unreachable = await call(services, 'lists:search', { orgId: 'gone' });
      expect(unreachable).toMatchObject({
        ok: false,
        error: {
          code: 'unavailable',
          message: expect.stringMatching(/Cannot reach 127\.0\.0\.1:\d+/),
        },
      });

      const unknownRegion = await call(services, 'orgs:add', {
        name: 'Mars',
        region: 'mars_1',
        authMethod: 'client-credentials',
        clientId: 'x',
      });
      expect(unknownRegion).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-request',
          message: expect.stringMatching(/Unknown region "mars_1".*eu_west_1/),
        },
      });
      expect(await call(services, 'orgs:remove', { id: 'sandbox' })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('token lifecycle through the org API', () => {
  it('refreshes once on a 401 (token revoked by the server) and the calls succeed', async () => {
    const expiring = await startSandbox({
      scenario: 'demo',
      overrides: { faults: { tokenExpiresAfterRequests: 2 } },
    });
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-orgs-401-'));
    try {
      const registry = new OrgRegistry({
        dataFolder: folder,
        secretStore: createMemorySecretStore(),
        sandbox: expiring,
      });
      const services = createServices({
        version: 't',
        dataFolder: folder,
        shell: 'web-host',
        orgs: registry,
      });
      const before = expiring.inspect.counters().tokensIssued;
      for (let call = 0; call < 6; call += 1) {
        const page = await dispatch(services, 'lists:search', { orgId: 'sandbox', pageSize: 1 });
        expect(page).toMatchObject({ ok: true });
      }
      // 6 calls, each token revoked after 2 requests: a new token every 2 calls, no failure.
      expect(expiring.inspect.counters().tokensIssued - before).toBe(3);
      expect(expiring.inspect.counters().byStatus['401']).toBe(2);
      registry.signOutAll();
    } finally {
      await expiring.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
