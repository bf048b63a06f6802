import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { SecretStore } from './secret-store';

/** How the file's entries are sealed (Electron `safeStorage` in the app; anything in tests). */
export interface SecretCipher {
  encrypt(secret: string): string;
  decrypt(ciphertext: string): string;
}

/** The secrets file exists but is not a JSON object: refusing to write over it. */
export class CorruptSecretsFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `${file} cannot be read (${reason}), so Sluice will not write over it: that would erase ` +
        "every org's saved secret. Move the file aside (or restore it), then enter the secret again.",
    );
    this.name = 'CorruptSecretsFileError';
  }
}

/**
 * Secrets as `{ "<profile id>": "<ciphertext>" }` in one 0600 file. A missing file is empty; a
 * file that cannot be parsed is an error for reads and writes alike, never read as empty, so one
 * bad byte cannot turn the next save into wiping every org's secret.
 */
export function createEncryptedFileSecretStore(options: {
  file: string;
  cipher: SecretCipher;
  kind: SecretStore['kind'];
  description: string;
}): SecretStore {
  const { file, cipher } = options;
  const read = (): Record<string, string> => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CorruptSecretsFileError(file, (error as Error).message);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CorruptSecretsFileError(file, 'not a JSON object');
    }
    return parsed as Record<string, string>;
  };
  const write = (entries: Record<string, string>): void => {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomBytes(8).toString('hex')}.tmp`;
    writeFileSync(temporary, JSON.stringify(entries), { mode: 0o600, flag: 'wx' });
    try {
      chmodSync(temporary, 0o600);
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  };
  return {
    kind: options.kind,
    persistent: true,
    description: options.description,
    async get(account) {
      const ciphertext = read()[account];
      if (ciphertext === undefined) return undefined;
      try {
        return cipher.decrypt(ciphertext);
      } catch {
        throw new Error(
          'A stored secret could not be decrypted (the OS key changed?). Edit the org and enter its client secret again.',
        );
      }
    },
    async set(account, secret) {
      const entries = read();
      entries[account] = cipher.encrypt(secret);
      write(entries);
    },
    async delete(account) {
      const entries = read();
      if (!Object.prototype.hasOwnProperty.call(entries, account)) return false;
      delete entries[account];
      write(entries);
      return true;
    },
  };
}
