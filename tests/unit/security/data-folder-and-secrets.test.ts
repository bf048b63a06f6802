import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createConfProfileStore,
  createEncryptedFileSecretStore,
  CorruptSecretsFileError,
  ensureDataFolder,
} from '../../../core/store';

let base: string;
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'sluice-folder-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const onPosix = process.platform !== 'win32';

describe('the data folder', () => {
  it.runIf(onPosix)('is created readable by this user only (0700)', () => {
    const folder = path.join(base, 'Sluice');
    ensureDataFolder(folder);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    // Creating the profile store on a fresh folder does the same.
    const other = path.join(base, 'via-profiles');
    createConfProfileStore(other);
    expect(statSync(other).mode & 0o777).toBe(0o700);
  });

  it.runIf(onPosix)('the default folder made 0755 by an older version is tightened', () => {
    const xdg = path.join(base, 'config');
    const folder = path.join(xdg, 'Sluice');
    mkdirSync(folder, { recursive: true, mode: 0o755 });
    ensureDataFolder(folder, { XDG_CONFIG_HOME: xdg, HOME: base });
    expect(statSync(folder).mode & 0o777).toBe(0o700);
  });
});

/** A stand-in for safeStorage: the file handling, not the cipher, is under test. */
const cipher = {
  encrypt: (secret: string) => Buffer.from(secret).toString('base64'),
  decrypt: (ciphertext: string) => Buffer.from(ciphertext, 'base64').toString(),
};

describe('the encrypted secrets file', () => {
  const open = () =>
    createEncryptedFileSecretStore({
      file: path.join(base, 'secrets.enc.json'),
      cipher,
      kind: 'safe-storage',
      description: 'test',
    });

  it('stores, reads and deletes secrets in a 0600 file holding ciphertext only', async () => {
    const store = open();
    await store.set('acme', 's3cret');
    await store.set('globex', 'other');
    expect(await store.get('acme')).toBe('s3cret');
    expect(readFileSync(path.join(base, 'secrets.enc.json'), 'utf8')).not.toContain('s3cret');
    if (onPosix) expect(statSync(path.join(base, 'secrets.enc.json')).mode & 0o777).toBe(0o600);
    expect(await store.delete('acme')).toBe(true);
    expect(await store.get('globex')).toBe('other');
  });

  it('refuses to write over a file it cannot parse, and says so', async () => {
    const file = path.join(base, 'secrets.enc.json');
    const corrupt = '{"acme":"czNjcmV0","globex":"b3RoZXI"'; // truncated by a crash
    writeFileSync(file, corrupt);
    const store = open();
    await expect(store.set('initech', 'new')).rejects.toThrow(CorruptSecretsFileError);
    await expect(store.set('initech', 'new')).rejects.toThrow(/will not write over it/);
    await expect(store.get('acme')).rejects.toThrow(CorruptSecretsFileError);
    await expect(store.delete('acme')).rejects.toThrow(CorruptSecretsFileError);
    expect(readFileSync(file, 'utf8')).toBe(corrupt);
    writeFileSync(file, '[1,2]');
    await expect(store.set('initech', 'new')).rejects.toThrow(/not a JSON object/);
    expect(existsSync(file)).toBe(true);
  });
});
