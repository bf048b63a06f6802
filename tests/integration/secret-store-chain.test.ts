import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKeytarSecretStore, openSecretStore } from '../../core/store';

// Where secrets go, as the app opens its store (startAppRuntime → openSecretStore): the OS
// keychain; else the shell's fallback (Electron's safeStorage) with a warning; else memory for
// the session with a warning, never a file. And keytar's errors mapped to actionable messages.
// The keychain cases run against the private gnome-keyring of scripts/with-keyring.sh, under
// this test's own service name; "no keychain" runs the app in a child process whose D-Bus
// session address leads nowhere (keytar then fails in ~100 ms, it does not hang).

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'sluice-secret-chain-'));
const service = `sluice-chain-test-${randomUUID()}`;
const SECRET = 'chain-secret-value';
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface AppSecrets {
  storage: { kind: string; persistent: boolean; description: string; warning?: string };
  org: { id: string; hasSecret: boolean };
}

/** Opens the app's services in a child process with no reachable keychain. */
async function openAppWithoutKeychain(name: string, fallback?: 'safe-storage') {
  const dataFolder = join(root, name);
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/support/open-app-secrets.ts',
      dataFolder,
      ...(fallback ? [fallback] : []),
    ],
    {
      env: {
        ...process.env,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(root, 'no-such-bus')}`,
        SLUICE_KEYCHAIN_SERVICE: service,
      },
    },
  );
  return { dataFolder, result: JSON.parse(stdout.trim().split('\n').pop()!) as AppSecrets };
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe.runIf(process.platform === 'linux')('the app without an OS keychain', () => {
  it('keeps secrets in memory for the session, says so, and writes none to disk', async () => {
    const { dataFolder, result } = await openAppWithoutKeychain('memory');
    expect(result.storage).toMatchObject({ kind: 'memory', persistent: false });
    expect(result.storage.warning).toMatch(/^OS keychain unavailable \(no OS keychain answered/);
    expect(result.storage.warning).toContain('kept for this session only');
    expect(result.org.hasSecret).toBe(true);
    const files = filesUnder(dataFolder);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(SECRET);
  });

  it("uses the shell's fallback (Electron safeStorage) before memory, and names it", async () => {
    const { result } = await openAppWithoutKeychain('fallback', 'safe-storage');
    expect(result.storage).toMatchObject({ kind: 'safe-storage', persistent: true });
    expect(result.storage.warning).toMatch(
      /^OS keychain unavailable \(.+\); secrets are encrypted with Electron safeStorage/,
    );
  });
});

const keychain = await loadKeytarSecretStore(service);
const unavailable = keychain.ok ? undefined : keychain.reason;
if (unavailable && !process.env.CI) {
  console.warn(`keychain chain test skipped: ${unavailable}. Run it with scripts/with-keyring.sh.`);
}

describe.skipIf(unavailable !== undefined && !process.env.CI)('with an OS keychain', () => {
  afterAll(async () => {
    if (keychain.ok) await keychain.store.delete('chain-account');
  });

  it('opens the keychain first, with no warning, even when a fallback is offered', async () => {
    if (!keychain.ok) throw new Error(`CI needs a working OS keychain: ${keychain.reason}`);
    let fallbackAsked = false;
    const opened = await openSecretStore({
      service,
      fallback: () => {
        fallbackAsked = true;
        return undefined;
      },
    });
    expect(opened.warning).toBeUndefined();
    expect(opened.store.kind).toBe('keychain');
    expect(fallbackAsked).toBe(false);
    await opened.store.set('chain-account', SECRET);
    expect(await keychain.store.get('chain-account')).toBe(SECRET);
  });

  it("maps keytar's errors to actionable messages that never carry the secret", async () => {
    if (!keychain.ok) throw new Error(`CI needs a working OS keychain: ${keychain.reason}`);
    // keytar refuses an empty account name itself: a real keytar error through the real mapping.
    const store = keychain.store;
    const error = await store.set('', SECRET).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toBe(
      'The OS keychain refused to store a secret (Account is required.). Unlock the keychain (or the login keyring) and try again.',
    );
    expect(error!.message).not.toContain(SECRET);
    await expect(store.get('')).rejects.toThrow(/^The OS keychain refused to read a secret \(/);
    await expect(store.delete('')).rejects.toThrow(
      /^The OS keychain refused to delete a secret \(/,
    );
  });
});
