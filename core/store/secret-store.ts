/**
 * Where client secrets live, one entry per org profile (account = profile id). Implementations:
 * the OS keychain through keytar, Electron `safeStorage` (in electron/), and memory. None ever
 * writes a secret in plain text.
 */
export interface SecretStore {
  /** `keychain` (keytar), `safe-storage` (Electron encryption) or `memory` (this session only). */
  readonly kind: 'keychain' | 'safe-storage' | 'memory';
  /** False for memory: secrets are gone when the app quits, and the UI must say so. */
  readonly persistent: boolean;
  /** One line for the UI, e.g. "OS keychain" or "Secrets kept for this session only". */
  readonly description: string;
  get(account: string): Promise<string | undefined>;
  /** Stores or overwrites. Rejects with an actionable message when the backend refuses. */
  set(account: string, secret: string): Promise<void>;
  /** Returns false when there was nothing to delete. */
  delete(account: string): Promise<boolean>;
}

/** The keychain service name every Sluice secret is filed under. */
export const SECRET_SERVICE_NAME = 'Sluice';

/**
 * The keychain service this process files secrets under: `SLUICE_KEYCHAIN_SERVICE` when set
 * (tests and developers' scratch runs, so they never read or write the real "Sluice" entries),
 * else "Sluice". The desktop app, the web host and the CLI all open their store with it.
 */
export function keychainServiceName(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLUICE_KEYCHAIN_SERVICE?.trim() || SECRET_SERVICE_NAME;
}

/**
 * Keeps secrets in this process only: the fallback when no keychain and no encryption is
 * available. Say so on screen ("secrets kept for this session only").
 */
export function createMemorySecretStore(reason?: string): SecretStore {
  const secrets = new Map<string, string>();
  return {
    kind: 'memory',
    persistent: false,
    description: `Secrets kept for this session only${reason ? ` (${reason})` : ''}`,
    get: async (account) => secrets.get(account),
    set: async (account, secret) => {
      secrets.set(account, secret);
    },
    delete: async (account) => secrets.delete(account),
  };
}
