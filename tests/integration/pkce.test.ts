import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithPkce } from '../../core/genesys/pkce';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { createServices, dispatch, OrgRegistry } from '../../core/services';
import { createMemorySecretStore } from '../../core/store';

/**
 * PKCE end to end against the sandbox's /oauth/authorize (auto-approves) and /oauth/token,
 * through the registry and the real SDK. The "browser" follows the 302 to the loopback listener.
 */
let sandbox: Sandbox;
let dataFolder: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo' });
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pkce-'));
});
afterAll(async () => {
  await sandbox?.stop();
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

/** Plays the system browser: GET authorize, then follow its redirect (optionally tampered). */
function browser(tamper: (redirect: URL) => void = () => undefined) {
  return async (authorizeUrl: string) => {
    const answer = await fetch(authorizeUrl, { redirect: 'manual' });
    const location = answer.headers.get('location');
    if (!location) throw new Error(`authorize answered ${answer.status}: ${await answer.text()}`);
    const redirect = new URL(location);
    tamper(redirect);
    await fetch(redirect);
  };
}

/** A new org named `name` on the Sandbox whose person signs in by PKCE (the org's PKCE client). */
const pkceOrg = (name: string) => ({
  name,
  region: 'custom',
  apiUrl: sandbox.url,
  authMethod: 'pkce' as const,
  clientId: sandbox.orgs[0]!.pkceClientId,
});

describe('PKCE sign-in against the sandbox', () => {
  it('signs a person in through the registry and lists contact lists with that token', async () => {
    const registry = new OrgRegistry({
      dataFolder,
      secretStore: createMemorySecretStore(),
      openBrowser: browser(),
    });
    const services = createServices({
      version: 't',
      dataFolder,
      shell: 'web-host',
      orgs: registry,
    });
    const added = await dispatch(services, 'orgs:add', pkceOrg('Person Org'));
    expect(added).toMatchObject({ ok: true, value: { hasSecret: false, status: 'signed-out' } });

    const beforeSignIn = await dispatch(services, 'lists:search', { orgId: 'person-org' });
    expect(beforeSignIn).toMatchObject({
      ok: false,
      error: {
        code: 'unauthorized',
        message: expect.stringMatching(/Sign in to Person Org first/),
      },
    });

    const signedIn = await dispatch(services, 'orgs:signIn', { id: 'person-org' });
    expect(signedIn).toMatchObject({
      ok: true,
      value: { status: 'signed-in', tokenExpiresAt: expect.any(String) },
    });
    const page = await dispatch(services, 'lists:search', { orgId: 'person-org' });
    if (!page.ok) throw new Error(page.error.message);
    expect((page.value as { total: number }).total).toBe(sandbox.orgs[0]!.contactListIds.length);
    registry.signOutAll();
  });

  it('refuses an answer with a wrong state and never exchanges its code', async () => {
    const tokensBefore = sandbox.inspect.counters().tokensIssued;
    await expect(
      signInWithPkce({
        apiUrl: sandbox.url,
        clientId: sandbox.orgs[0]!.pkceClientId,
        orgLabel: 'Sandbox',
        openBrowser: browser((redirect) => redirect.searchParams.set('state', 'forged-state')),
        // Ignored, not fatal: the sign-in ends at its timeout.
        timeoutMs: 1500,
      }),
    ).rejects.toMatchObject({
      kind: 'state-mismatch',
      message: expect.stringMatching(/state check failed/),
    });
    expect(sandbox.inspect.counters().tokensIssued).toBe(tokensBefore);
  });

  it('times out when the browser never comes back, with the org left in error', async () => {
    const registry = new OrgRegistry({
      dataFolder,
      secretStore: createMemorySecretStore(),
      openBrowser: () => undefined,
      pkceTimeoutMs: 100,
    });
    await registry.add(pkceOrg('Slow Person'));
    await expect(registry.signIn('slow-person')).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/timed out/),
    });
    expect((await registry.get('slow-person')).status).toBe('error');
  });

  it('cancels a sign-in waiting for the browser', async () => {
    const registry = new OrgRegistry({
      dataFolder,
      secretStore: createMemorySecretStore(),
      openBrowser: () => undefined,
    });
    await registry.add(pkceOrg('Cancel Me'));
    const pending = registry.signIn('cancel-me');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await registry.get('cancel-me')).status).toBe('signing-in');
    await registry.cancelSignIn('cancel-me');
    await expect(pending).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/cancelled/),
    });
  });
});
