import { loadKeytarSecretStore } from './keytar-secret-store';
import { createMemorySecretStore, keychainServiceName, type SecretStore } from './secret-store';

/** The secret store chosen, and the reason when it is a fallback (for a notice on screen). */
export interface OpenedSecretStore {
  store: SecretStore;
  /** Set when the keychain could not be used; says which fallback is in use and why. */
  warning: string | undefined;
}

/**
 * Picks where secrets go: the OS keychain (keytar) under `service` (default
 * `keychainServiceName()`, which honours `SLUICE_KEYCHAIN_SERVICE`); else `fallback` (the Electron app passes its
 * safeStorage store when encryption is available); else memory for this session, with a warning
 * the UI and the CLI show. Never throws.
 */
export async function openSecretStore(
  options: { service?: string; fallback?: () => SecretStore | undefined } = {},
): Promise<OpenedSecretStore> {
  const keychain = await loadKeytarSecretStore(options.service ?? keychainServiceName());
  if (keychain.ok) return { store: keychain.store, warning: undefined };
  const fallback = options.fallback?.();
  if (fallback) {
    return {
      store: fallback,
      warning: `OS keychain unavailable (${keychain.reason}); secrets are encrypted with ${fallback.description}.`,
    };
  }
  return {
    store: createMemorySecretStore('no OS keychain'),
    warning: `OS keychain unavailable (${keychain.reason}); secrets are kept for this session only.`,
  };
}
