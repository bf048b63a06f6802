import { describe, expect, it } from 'vitest';
import { LayeredRateLimiter } from '../../../../core/sandbox/limits/layered-limiter';
import type { LimitLayerConfig, RetryAfterMode } from '../../../../core/sandbox/types';

const CONTACTS = 'POST /api/v2/outbound/contactlists/{id}/contacts';
const client: LimitLayerConfig = {
  name: 'client',
  scope: 'client',
  requests: 5,
  windowMs: 2000,
  window: 'fixed',
  reported: true,
};
const hiddenOrgUploads: LimitLayerConfig = {
  name: 'org-uploads',
  scope: 'org',
  endpoint: CONTACTS,
  requests: 3,
  windowMs: 10_000,
  window: 'fixed',
  reported: false,
};
const subject = (clientId: string, route = CONTACTS) => ({ clientId, orgId: 'org-1', route });

function exhaustHidden(mode: RetryAfterMode) {
  const limiter = new LayeredRateLimiter([client, hiddenOrgUploads], mode);
  for (let i = 0; i < 3; i += 1) expect(limiter.admit(subject('c1'), 0).admitted).toBe(true);
  return limiter.admit(subject('c1'), 500);
}

describe('layered rate limiter', () => {
  it('reports the per-client layer in the headers and refuses past its budget', () => {
    const limiter = new LayeredRateLimiter([client], 'honest');
    for (let i = 1; i <= 5; i += 1) {
      const result = limiter.admit(subject('c1', 'GET /x'), 0);
      expect(result).toMatchObject({
        admitted: true,
        headers: { allowed: 5, count: i, resetSeconds: 2 },
      });
    }
    const refused = limiter.admit(subject('c1', 'GET /x'), 1200);
    expect(refused).toMatchObject({
      admitted: false,
      blockingLayers: ['client'],
      retryAfterSeconds: 1,
    });
    expect(limiter.admit(subject('c2', 'GET /x'), 1200).admitted).toBe(true);
    expect(limiter.admit(subject('c1', 'GET /x'), 2000).admitted).toBe(true);
  });

  it('honest Retry-After waits for the hidden layer that binds', () => {
    const refused = exhaustHidden('honest');
    expect(refused).toMatchObject({
      admitted: false,
      blockingLayers: ['org-uploads'],
      retryAfterSeconds: 10,
    });
    expect(refused.headers).toEqual({ allowed: 5, count: 3, resetSeconds: 2 });
  });

  it('short Retry-After reports only the per-client window (the field report)', () => {
    expect(exhaustHidden('short')).toMatchObject({ admitted: false, retryAfterSeconds: 2 });
  });

  it('missing mode sends no Retry-After', () => {
    const refused = exhaustHidden('missing');
    expect(refused.admitted).toBe(false);
    expect(refused.admitted === false && refused.retryAfterSeconds).toBeUndefined();
  });

  it('an endpoint layer leaves other routes alone, and an org layer is shared by clients', () => {
    const limiter = new LayeredRateLimiter([hiddenOrgUploads], 'honest');
    expect(limiter.admit(subject('c1'), 0).admitted).toBe(true);
    expect(limiter.admit(subject('c2'), 0).admitted).toBe(true);
    expect(limiter.admit(subject('c3'), 0).admitted).toBe(true);
    expect(limiter.admit(subject('c4'), 0).admitted).toBe(false);
    expect(limiter.admit(subject('c1', 'GET /api/v2/outbound/contactlists'), 0).admitted).toBe(
      true,
    );
  });

  it('does not count refused requests', () => {
    const limiter = new LayeredRateLimiter([{ ...client, requests: 1 }], 'honest');
    limiter.admit(subject('c1'), 0);
    for (let i = 0; i < 10; i += 1) limiter.admit(subject('c1'), 100);
    expect(limiter.admit(subject('c1'), 2000)).toMatchObject({
      admitted: true,
      headers: { count: 1 },
    });
  });

  it('login calls meet only the layers that name their route', () => {
    const login = { ...client, name: 'login', endpoint: 'POST /oauth/token', requests: 1 };
    const limiter = new LayeredRateLimiter([{ ...client, requests: 1 }, login], 'honest');
    const token = subject('c1', 'POST /oauth/token');
    expect(limiter.admit(token, 0, { endpointLayersOnly: true }).admitted).toBe(true);
    expect(limiter.admit(subject('c1', 'GET /x'), 0).admitted).toBe(true);
    expect(limiter.admit(token, 0, { endpointLayersOnly: true })).toMatchObject({
      admitted: false,
      blockingLayers: ['login'],
    });
  });
});
