import { safeStorage } from 'electron';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../core/store';

/** The file holding encrypted secrets: `{ "<profile id>": "<base64 ciphertext>" }`. */
const FILE_NAME = 'secrets.enc.json';

/**
 * Secrets encrypted with Electron `safeStorage` (the OS-protected key: Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux), for when keytar cannot load. Returns undefined when
 * encryption is unavailable, or when Linux would use the `basic_text` backend (a hard-coded key,
 * i.e. plain text in disguise): the caller then falls back to memory and says so. Only
 * ciphertext is written, to `secrets.enc.json` (0600) in the data folder. Call after `app` is
 * ready.
 */
export function createSafeStorageSecretStore(dataFolder: string): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return undefined;
  }
  const file = path.join(dataFolder, FILE_NAME);
  const read = (): Record<string, string> => {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  const write = (entries: Record<string, string>): void => {
    mkdirSync(dataFolder, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entries), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  };
  return {
    kind: 'safe-storage',
    persistent: true,
    description: 'Electron safeStorage (OS-protected encryption)',
    async get(account) {
      const ciphertext = read()[account];
      if (ciphertext === undefined) return undefined;
      try {
        return safeStorage.decryptString(Buffer.from(ciphertext, 'base64'));
      } catch {
        throw new Error(
          'A stored secret could not be decrypted (the OS key changed?). Edit the org and enter its client secret again.',
        );
      }
    },
    async set(account, secret) {
      const entries = read();
      entries[account] = safeStorage.encryptString(secret).toString('base64');
      write(entries);
    },
    async delete(account) {
      const entries = read();
      if (!(account in entries)) return false;
      delete entries[account];
      write(entries);
      return true;
    },
  };
}
