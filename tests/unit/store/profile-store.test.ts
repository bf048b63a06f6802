import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConfProfileStore, profileIdFor, type OrgProfile } from '../../../core/store';

let folder: string;
beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-profiles-'));
});
afterEach(() => {
  fs.rmSync(folder, { recursive: true, force: true });
});

function profile(overrides: Partial<OrgProfile> = {}): OrgProfile {
  return {
    id: 'acme-eu',
    name: 'Acme EU',
    region: 'eu_west_1',
    authMethod: 'client-credentials',
    clientId: 'client-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('conf profile store', () => {
  it('saves, lists sorted by name, replaces and removes profiles', () => {
    const store = createConfProfileStore(folder);
    store.save(profile());
    store.save(profile({ id: 'beta', name: 'Beta US', region: 'us_east_1' }));
    store.save(
      profile({ id: 'alpha', name: 'Alpha', region: 'custom', apiUrl: 'http://127.0.0.1:1' }),
    );
    expect(store.list().map((entry) => entry.id)).toEqual(['acme-eu', 'alpha', 'beta']);
    store.save(profile({ name: 'Acme Europe', clientId: 'client-2' }));
    expect(store.get('acme-eu')).toMatchObject({ name: 'Acme Europe', clientId: 'client-2' });
    expect(store.list()).toHaveLength(3);
    expect(store.remove('beta')).toBe(true);
    expect(store.remove('beta')).toBe(false);
    expect(store.list().map((entry) => entry.id)).toEqual(['acme-eu', 'alpha']);
  });

  it('shares the file between two stores (the CLI and a running app)', () => {
    const app = createConfProfileStore(folder);
    const cli = createConfProfileStore(folder);
    cli.save(profile());
    expect(app.get('acme-eu')?.name).toBe('Acme EU');
    const file = path.join(folder, 'org-profiles.json');
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('refuses an invalid profile (custom region without a base URL)', () => {
    const store = createConfProfileStore(folder);
    expect(() => store.save(profile({ region: 'custom' }))).toThrow(/base URL/);
    expect(store.list()).toEqual([]);
  });

  it('migrates a pre-release file that used baseUrl, and keeps unknown entries on write', () => {
    fs.writeFileSync(
      path.join(folder, 'org-profiles.json'),
      JSON.stringify({
        profiles: [
          { ...profile({ id: 'old', region: 'custom' }), baseUrl: 'http://127.0.0.1:7' },
          {
            id: 'future',
            name: 'From a newer app',
            region: 'mars_1',
            authMethod: 'pkce',
            clientId: 'x',
          },
        ],
      }),
    );
    const store = createConfProfileStore(folder);
    expect(store.get('old')?.apiUrl).toBe('http://127.0.0.1:7');
    expect(store.list().map((entry) => entry.id)).toEqual(['old']);
    store.save(profile());
    const raw = JSON.parse(fs.readFileSync(path.join(folder, 'org-profiles.json'), 'utf8')) as {
      profiles: { id: string }[];
    };
    expect(raw.profiles.map((entry) => entry.id).sort()).toEqual(['acme-eu', 'future', 'old']);
  });

  it('reports a damaged file instead of emptying it', () => {
    const file = path.join(folder, 'org-profiles.json');
    fs.writeFileSync(file, '{ not json');
    expect(() => createConfProfileStore(folder)).toThrow(/org profiles file .* cannot be read/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{ not json');
  });
});

describe('profileIdFor', () => {
  it('slugs the name and avoids ids already taken', () => {
    expect(profileIdFor('Acme EU (prod)', new Set())).toBe('acme-eu-prod');
    expect(profileIdFor('Acme EU', new Set(['acme-eu', 'acme-eu-2']))).toBe('acme-eu-3');
    expect(profileIdFor('!!!', new Set())).toBe('org');
  });
});
