import platformClient from 'purecloud-platform-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION_DOMAINS } from '../../core/genesys/regions';
import { callGenesys } from '../../core/genesys/sdk-client';
import { failureOf, startTarget, type FidelityTarget } from './target';

/** Hosts, sign-in, the limits API and the error shape (docs/GENESYS.md). */
let target: FidelityTarget;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

describe('hosts and sign-in', () => {
  it('#hosts-and-regions (SDK PureCloudRegionHosts.js): every region Sluice offers has the SDK domain', () => {
    const sdkHosts = platformClient.PureCloudRegionHosts as Record<string, string>;
    for (const [region, domain] of Object.entries(REGION_DOMAINS)) {
      expect({ region, domain: sdkHosts[region] }).toEqual({ region, domain });
    }
  });

  it('#oauth-client-credentials (SDK ApiClient.js): the token grant yields a bearer token the API accepts', async () => {
    expect(target.accessToken).toMatch(/\S{16,}/);
    const me = await callGenesys<{ id: string }>(() =>
      target.sdk.organization.getOrganizationsMe(),
    );
    expect(me.status).toBe(200);
    expect(me.body.id).toMatch(/\S+/);
  });
});

describe('limits API', () => {
  it('#limits-namespaces (Java SDK Limit.md NamespaceEnum): platform.api and outbound answer with entities', async () => {
    for (const namespace of ['platform.api', 'outbound']) {
      const answer = await callGenesys<{ entities?: { key: string; value: number }[] }>(() =>
        target.sdk.organization.getOrganizationsLimitsNamespace(namespace),
      );
      expect(answer.status).toBe(200);
      expect(Array.isArray(answer.body.entities)).toBe(true);
      for (const entity of answer.body.entities ?? []) {
        expect(typeof entity.key).toBe('string');
        expect(typeof entity.value).toBe('number');
      }
    }
  });

  it('#limits-namespaces (Java SDK Limit.md NamespaceEnum): the dashed name platform-api is refused', async () => {
    const error = await failureOf(() =>
      target.sdk.organization.getOrganizationsLimitsNamespace('platform-api'),
    );
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  });

  it('#limits-api (SDK OrganizationApi.js): the outbound namespace reports the list cap of 1,000,000', async () => {
    const answer = await callGenesys<{ entities: { key: string; value: number }[] }>(() =>
      target.sdk.organization.getOrganizationsLimitsNamespace('outbound'),
    );
    const perList = answer.body.entities.find((entity) => /per.contact.list/.test(entity.key));
    expect(perList?.value).toBe(1_000_000);
  });
});

describe('error shape and correlation', () => {
  it('#error-body-shape (SDK index.d.ts ErrorBody): a 404 carries {message, code, status} and a correlation id', async () => {
    const error = await failureOf(() =>
      target.sdk.outbound.getOutboundContactlist('00000000-0000-4000-8000-000000000000'),
    );
    expect(error.status).toBe(404);
    expect(error.body).toMatchObject({
      message: expect.any(String),
      code: expect.any(String),
      status: 404,
    });
    expect(error.correlationId).toMatch(/\S+/);
  });

  it('#rate-limit-headers (field responses): a success carries inin-correlation-id', async () => {
    const answer = await callGenesys(() =>
      target.sdk.outbound.getOutboundContactlist(target.listId),
    );
    expect(answer.correlationId).toMatch(/\S+/);
    expect(answer.headers['inin-correlation-id']).toBe(answer.correlationId);
  });
});
