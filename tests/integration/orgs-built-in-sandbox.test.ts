import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { OrgRegistry } from '../../core/services';
import { createMemorySecretStore, type SecretStore } from '../../core/store';

/**
 * An org saved with the built-in Sandbox's address (another tenant of it) follows the Sandbox
 * from launch to launch, though the Sandbox's port is chosen afresh at every launch. Each
 * "launch" is a registry on the same data folder and secret store with a new Sandbox.
 */
let dataFolder: string;
let secretStore: SecretStore;
const running: Sandbox[] = [];

async function launch(withSandbox = true) {
  const sandbox = withSandbox ? await startSandbox({ scenario: 'demo' }) : undefined;
  if (sandbox) running.push(sandbox);
  return { sandbox, registry: new OrgRegistry({ dataFolder, secretStore, sandbox }) };
}

function tenantOf(sandbox: Sandbox, apiUrl = sandbox.url) {
  const tenant = sandbox.orgs[0]!;
  return {
    name: 'Acme EU',
    region: 'custom',
    apiUrl,
    authMethod: 'client-credentials',
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
  } as const;
}

beforeEach(() => {
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sandbox-orgs-'));
  secretStore = createMemorySecretStore();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.stop()));
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

describe('an org at the built-in Sandbox’s address', () => {
  it('connects at the next launch, where the Sandbox listens on another port', async () => {
    const first = await launch();
    const added = await first.registry.add(tenantOf(first.sandbox!));
    await first.registry.test(added.id);
    first.registry.signOutAll();
    await first.sandbox!.stop();

    const next = await launch();
    expect(next.sandbox!.url).not.toBe(first.sandbox!.url);
    expect((await next.registry.get(added.id)).apiUrl).toBe(next.sandbox!.url);
    const before = next.sandbox!.inspect.counters().tokensIssued;
    const report = await next.registry.test(added.id);
    expect(report.apiUrl).toBe(next.sandbox!.url);
    // The new Sandbox is the one that signed it in.
    expect(next.sandbox!.inspect.counters().tokensIssued - before).toBe(1);
    next.registry.signOutAll();
  });

  it('is recognised as localhost too, and an edit that keeps the address keeps following it', async () => {
    const first = await launch();
    const localhost = first.sandbox!.url.replace('127.0.0.1', 'localhost');
    const added = await first.registry.add(tenantOf(first.sandbox!, localhost));
    await first.sandbox!.stop();

    // The CLI runs no built-in Sandbox: it says where the org works, not a refused connection.
    const cli = await launch(false);
    await expect(cli.registry.test(added.id)).rejects.toThrow(
      'Acme EU is an org of the built-in Sandbox, which runs only inside the Sluice app',
    );
    await cli.registry.update({ id: added.id, name: 'Acme EU (tenant)' });

    const next = await launch();
    expect((await next.registry.get(added.id)).apiUrl).toBe(next.sandbox!.url);
    await expect(next.registry.test(added.id)).resolves.toMatchObject({
      apiUrl: next.sandbox!.url,
    });
    next.registry.signOutAll();
  });

  it('stops following the Sandbox once given another address', async () => {
    const first = await launch();
    const elsewhere = await startSandbox({ scenario: 'demo' });
    running.push(elsewhere);
    const added = await first.registry.add(tenantOf(first.sandbox!));
    await first.registry.update({ id: added.id, apiUrl: elsewhere.url });
    await first.sandbox!.stop();

    const next = await launch();
    expect((await next.registry.get(added.id)).apiUrl).toBe(elsewhere.url);
  });
});

describe('an org at a local address where nothing listens any more', () => {
  it('says the built-in Sandbox’s address changes at every launch, not only that it was refused', async () => {
    const other = await startSandbox({ scenario: 'demo' });
    const first = await launch(false);
    const added = await first.registry.add(tenantOf(other));
    await other.stop();
    const error = await first.registry.test(added.id).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toContain(`Cannot reach ${new URL(other.url).host} to sign in`);
    expect(error?.message).toContain('that address changes at every launch: use the Sandbox org');
    expect(error?.message).toContain('sluice sandbox --port 4100');
  });
});
