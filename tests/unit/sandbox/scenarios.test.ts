import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES, buildConfig } from '../../../core/sandbox/scenarios';
import type { ScenarioName } from '../../../core/sandbox/types';

describe('sandbox scenarios', () => {
  it('demo has one "Sandbox" org with the documented credentials and three lists', () => {
    const config = buildConfig('demo');
    expect(config.orgs).toHaveLength(1);
    expect(config.orgs[0]).toMatchObject({
      name: 'Sandbox',
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
    });
    expect(config.orgs[0]?.lists.map((list) => list.name)).toEqual([
      'Spring renewals',
      'Collections Q3',
      'Webinar follow-up',
    ]);
    expect(config.limits).toEqual([
      expect.objectContaining({ scope: 'client', requests: 300, windowMs: 60_000 }),
    ]);
  });

  it('field-report adds a hidden layer and short Retry-After, and two tenants', () => {
    const config = buildConfig('field-report');
    expect(config.retryAfterMode).toBe('short');
    expect(config.limits.filter((layer) => !layer.reported)).toHaveLength(1);
    expect(new Set(config.orgs.map((org) => org.clientId)).size).toBe(2);
  });

  it('every scenario builds and validates', () => {
    for (const name of SCENARIO_NAMES) expect(() => buildConfig(name)).not.toThrow();
  });

  it('merges overrides key by key and replaces arrays', () => {
    const config = buildConfig('demo', {
      faults: { status503: 0.5 },
      limits: [
        {
          name: 'tiny',
          scope: 'client',
          requests: 2,
          windowMs: 100,
          window: 'sliding',
          reported: true,
        },
      ],
    });
    expect(config.faults.status503).toBe(0.5);
    expect(config.faults.status502).toBe(0);
    expect(config.limits).toHaveLength(1);
    expect(config.limits[0]?.name).toBe('tiny');
  });

  it('names the bad field of an invalid override, and refuses unknown scenarios', () => {
    expect(() => buildConfig('demo', { faults: { timeout: 2 } })).toThrow(/faults\.timeout/);
    expect(() => buildConfig('demo', { rules: { maxContactsPerRequest: 0 } })).toThrow(
      /rules\.maxContactsPerRequest/,
    );
    expect(() => buildConfig('nope' as ScenarioName)).toThrow(/Unknown sandbox scenario "nope"/);
  });

  it('refuses two orgs with the same client id', () => {
    const org = buildConfig('demo').orgs[0];
    expect(org).toBeDefined();
    if (org === undefined) return;
    expect(() => buildConfig('demo', { orgs: [org, { ...org, id: 'other' }] })).toThrow(
      /used twice/,
    );
  });

  it('completes orgs given by name and credentials only (several orgs from a short JSON file)', () => {
    const config = buildConfig('demo', {
      orgs: [{ name: 'Acme', clientId: 'acme', clientSecret: 's1' }, { name: 'Globex' }],
    });
    expect(config.orgs.map((org) => [org.name, org.clientId, org.pkceClientId])).toEqual([
      ['Acme', 'acme', 'acme-pkce'],
      ['Globex', 'org2-client', 'org2-client-pkce'],
    ]);
    expect(config.orgs[0]?.id).not.toBe(config.orgs[1]?.id);
    expect(config.orgs[1]?.lists).toHaveLength(3);
  });
});
