import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createMemorySecretStore,
  defaultDataFolder,
  keychainServiceName,
} from '../../../core/store';

describe('memory secret store', () => {
  it('stores, overwrites and deletes, and says it is for this session only', async () => {
    const store = createMemorySecretStore();
    expect(store.persistent).toBe(false);
    expect(store.description).toMatch(/this session only/);
    await store.set('a', 'one');
    await store.set('a', 'two');
    await store.set('b', 'three');
    expect(await store.get('a')).toBe('two');
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBe('three');
  });
});

describe('defaultDataFolder', () => {
  it('prefers SLUICE_DATA_DIR, made absolute', () => {
    expect(defaultDataFolder({ SLUICE_DATA_DIR: 'rel/dir' })).toBe(path.resolve('rel/dir'));
  });

  it('uses the OS app-data folder otherwise', () => {
    const folder = defaultDataFolder({ XDG_CONFIG_HOME: '/xdg' });
    expect(path.isAbsolute(folder)).toBe(true);
    expect(path.basename(folder)).toBe('Sluice');
    if (process.platform === 'linux') expect(folder).toBe('/xdg/Sluice');
  });
});

describe('keychainServiceName', () => {
  it('is "Sluice" unless SLUICE_KEYCHAIN_SERVICE names another service', () => {
    expect(keychainServiceName({})).toBe('Sluice');
    expect(keychainServiceName({ SLUICE_KEYCHAIN_SERVICE: '  ' })).toBe('Sluice');
    expect(keychainServiceName({ SLUICE_KEYCHAIN_SERVICE: 'sluice-test-1' })).toBe('sluice-test-1');
  });
});
