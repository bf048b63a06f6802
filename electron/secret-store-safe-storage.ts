import { safeStorage } from 'electron';
import path from 'node:path';
import { createEncryptedFileSecretStore, type SecretStore } from '../core/store';

/** The file holding encrypted secrets: `{ "<profile id>": "<base64 ciphertext>" }`. */
const FILE_NAME = 'secrets.enc.json';

/**
 * Secrets encrypted with Electron `safeStorage` (the OS-protected key: Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux), for when keytar cannot load. Returns undefined when
 * encryption is unavailable, or when Linux would use the `basic_text` backend (a hard-coded key,
 * i.e. plain text in disguise): the caller then falls back to memory and says so. Only
 * ciphertext is written, to `secrets.enc.json` (0600) in the data folder; a file that cannot be
 * parsed is refused, never overwritten. Call after `app` is ready.
 */
export function createSafeStorageSecretStore(dataFolder: string): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return undefined;
  }
  return createEncryptedFileSecretStore({
    file: path.join(dataFolder, FILE_NAME),
    cipher: {
      encrypt: (secret) => safeStorage.encryptString(secret).toString('base64'),
      decrypt: (ciphertext) => safeStorage.decryptString(Buffer.from(ciphertext, 'base64')),
    },
    kind: 'safe-storage',
    description: 'Electron safeStorage (OS-protected encryption)',
  });
}
