import { SECRET_SERVICE_NAME, type SecretStore } from './secret-store';

/** The keytar functions Sluice uses (keytar is an optional dependency with no bundled ESM types). */
interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Either a working keychain store, or why the keychain cannot be used here. */
export type KeytarLoadResult = { ok: true; store: SecretStore } | { ok: false; reason: string };

/**
 * Loads keytar (an optionalDependency, so it may be missing or fail to build) and checks that a
 * keychain answers (on Linux the Secret Service over D-Bus; with none, keytar errors in ~100 ms,
 * it does not hang). Never throws: a failure comes back as a reason for the fallback notice.
 * `service` defaults to `Sluice`; tests pass their own so they never touch a user's entries.
 */
export async function loadKeytarSecretStore(
  service: string = SECRET_SERVICE_NAME,
): Promise<KeytarLoadResult> {
  let keytar: KeytarModule;
  try {
    const loaded = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
    keytar = loaded.default ?? loaded;
  } catch (error) {
    return { ok: false, reason: `keytar is not installed or did not load: ${messageOf(error)}` };
  }
  try {
    await keytar.getPassword(service, '__sluice_probe__');
  } catch (error) {
    return { ok: false, reason: `no OS keychain answered: ${messageOf(error)}` };
  }
  const failed = (action: string, error: unknown): Error =>
    new Error(
      `The OS keychain refused to ${action} (${messageOf(error)}). Unlock the keychain (or the login keyring) and try again.`,
    );
  return {
    ok: true,
    store: {
      kind: 'keychain',
      persistent: true,
      description: 'OS keychain',
      async get(account) {
        try {
          return (await keytar.getPassword(service, account)) ?? undefined;
        } catch (error) {
          throw failed('read a secret', error);
        }
      },
      async set(account, secret) {
        try {
          await keytar.setPassword(service, account, secret);
        } catch (error) {
          throw failed('store a secret', error);
        }
      },
      async delete(account) {
        try {
          return await keytar.deletePassword(service, account);
        } catch (error) {
          throw failed('delete a secret', error);
        }
      },
    },
  };
}

/** Error text without anything that could be a secret (keytar messages carry none). */
function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
