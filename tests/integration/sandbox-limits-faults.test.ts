import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGenesys, GenesysApiError } from '../../core/genesys/sdk-client';
import {
  POST_CONTACTS_ROUTE,
  startSandbox,
  type DeepPartial,
  type SandboxConfig,
  type Sandbox,
} from '../../core/sandbox';
import { signedInClient } from '../support/sandbox-sdk';

let sandbox: Sandbox;
/**
 * The Sandbox's clock, frozen within a test: a burst of requests then lands in one window
 * however slowly a loaded machine sends it, so the Retry-After values below are exact.
 */
let clockMs = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11, now: () => clockMs });
});
afterAll(() => sandbox.stop());

/** Resets the sandbox with overrides and returns a freshly signed-in SDK client plus a list id. */
async function fresh(
  overrides: DeepPartial<SandboxConfig>,
  scenario: 'demo' | 'field-report' = 'demo',
  options: { timeoutMs?: number } = {},
) {
  clockMs += 3_600_000; // a new hour: nothing of the previous test's windows is left
  sandbox.inspect.reset(scenario, overrides);
  const sdk = await signedInClient(sandbox, 0, options);
  const listId = sandbox.inspect.orgs()[0]?.contactListIds[0] ?? '';
  const post = (ids: string[]) =>
    callGenesys<{ id: string }[]>(() =>
      sdk.outbound.postOutboundContactlistContacts(
        listId,
        ids.map((id) => ({ id, contactListId: listId, data: { FirstName: id } })),
      ),
    );
  return { sdk, listId, post };
}

async function failure(promise: Promise<unknown>): Promise<GenesysApiError> {
  const error = await promise.catch((caught: unknown) => caught);
  if (!(error instanceof GenesysApiError))
    throw new Error(`expected a GenesysApiError, got ${String(error)}`);
  return error;
}

const hiddenUploadLayer = {
  name: 'hidden-uploads',
  scope: 'org' as const,
  endpoint: POST_CONTACTS_ROUTE,
  requests: 2,
  windowMs: 5000,
  window: 'fixed' as const,
  reported: false,
};
const clientLayer = {
  name: 'per-client',
  scope: 'client' as const,
  requests: 10,
  windowMs: 1000,
  window: 'fixed' as const,
  reported: true,
};

describe('rate limits through the SDK', () => {
  it("a 429's status, code, Retry-After and inin-ratelimit headers reach the caller", async () => {
    const { sdk } = await fresh({ limits: [{ ...clientLayer, requests: 3, windowMs: 2000 }] });
    const ok = await callGenesys(() => sdk.organization.getOrganizationsMe());
    expect(ok.rateLimit).toEqual({ allowed: 3, count: 1, resetMs: 2000 });
    await callGenesys(() => sdk.organization.getOrganizationsMe());
    await callGenesys(() => sdk.organization.getOrganizationsMe());
    const limited = await failure(callGenesys(() => sdk.organization.getOrganizationsMe()));
    expect(limited).toMatchObject({
      status: 429,
      code: 'too.many.requests.retry.after',
      retryable: true,
      retryAfterSeconds: 2,
    });
    expect(limited.body).toMatchObject({
      message: 'Rate limit exceeded the maximum. Retry the request in [2] seconds',
      status: 429,
    });
    expect(limited.headers).toMatchObject({
      'inin-ratelimit-allowed': '3',
      'inin-ratelimit-count': '3',
      'retry-after': '2',
    });
    expect(limited.correlationId).toBe(limited.headers['inin-correlation-id']);
    expect(sandbox.inspect.counters().rateLimitedByLayer).toEqual({ 'per-client': 1 });
  });

  it.each([
    ['honest', 5],
    ['short', 1],
    ['missing', undefined],
  ] as const)(
    'Retry-After mode %s reports %s s when a hidden layer binds',
    async (mode, expected) => {
      const { post } = await fresh({
        limits: [clientLayer, hiddenUploadLayer],
        retryAfterMode: mode,
      });
      await post(['a']);
      await post(['b']);
      const limited = await failure(post(['c']));
      expect(limited.status).toBe(429);
      expect(limited.retryAfterSeconds).toBe(expected);
      // The headers describe the per-client layer, which still has room: the signal that a hidden layer binds.
      expect(Number(limited.headers['inin-ratelimit-count'])).toBeLessThan(
        Number(limited.headers['inin-ratelimit-allowed']),
      );
    },
  );

  it('a sliding window counts each request for its full window and refuses past the budget', async () => {
    const sliding = { ...clientLayer, requests: 3, windowMs: 1500, window: 'sliding' as const };
    const { sdk } = await fresh({ limits: [sliding] });
    for (let i = 0; i < 3; i += 1) await callGenesys(() => sdk.organization.getOrganizationsMe());
    const limited = await failure(callGenesys(() => sdk.organization.getOrganizationsMe()));
    expect(limited.status).toBe(429);
  });

  it('token creation has its own per-client limit when a layer names POST /oauth/token', async () => {
    const tokenLayer = {
      name: 'token.creation.rate',
      scope: 'client' as const,
      endpoint: 'POST /oauth/token',
      requests: 2,
      windowMs: 5000,
      window: 'fixed' as const,
      reported: false,
    };
    const { sdk } = await fresh({ limits: [{ ...clientLayer, requests: 2 }, tokenLayer] });
    await signedInClient(sandbox);
    const refused = await signedInClient(sandbox).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 429, code: 'too.many.requests', retryAfterSeconds: 5 });
    // Token requests do not spend the API budget, and the API budget does not block logins.
    expect((await callGenesys(() => sdk.organization.getOrganizationsMe())).rateLimit?.count).toBe(
      1,
    );
    expect(sandbox.inspect.counters().rateLimitedByLayer).toEqual({ 'token.creation.rate': 1 });
  });

  it('orgs in one process have separate budgets and stores', async () => {
    sandbox.inspect.reset('field-report', { limits: [clientLayer, hiddenUploadLayer] });
    const [first, second] = [await signedInClient(sandbox, 0), await signedInClient(sandbox, 1)];
    const [orgA, orgB] = sandbox.inspect.orgs();
    const listA = orgA?.contactListIds[0] ?? '';
    const listB = orgB?.contactListIds[0] ?? '';
    expect(listA).not.toBe(listB);
    const postTo = (sdk: typeof first, listId: string, id: string) =>
      callGenesys(() =>
        sdk.outbound.postOutboundContactlistContacts(listId, [
          { id, contactListId: listId, data: { FirstName: id } },
        ]),
      );
    await postTo(first, listA, 'a1');
    await postTo(first, listA, 'a2');
    expect((await failure(postTo(first, listA, 'a3'))).status).toBe(429);
    await postTo(second, listB, 'b1');
    expect(sandbox.inspect.contacts(listB).map((contact) => contact.id)).toContain('b1');
    expect(
      (await failure(callGenesys(() => first.outbound.getOutboundContactlist(listB)))).status,
    ).toBe(404);
  });
});

describe('faults through the SDK', () => {
  const onlyUploads = { endpoints: [POST_CONTACTS_ROUTE] };

  it('injects 5xx answers with Genesys bodies, only on the configured endpoint', async () => {
    const { sdk, post } = await fresh({ faults: { ...onlyUploads, status503: 1 } });
    expect((await callGenesys(() => sdk.organization.getOrganizationsMe())).status).toBe(200);
    const error = await failure(post(['x']));
    expect(error).toMatchObject({ status: 503, code: 'service.unavailable', retryable: true });
    expect(sandbox.inspect.counters().faults).toEqual({ '503': 1 });
  });

  it('a connection reset is a retryable network error and stores nothing', async () => {
    const { listId, post } = await fresh({ faults: { ...onlyUploads, connectionReset: 1 } });
    const before = sandbox.inspect.contacts(listId).length;
    expect(await failure(post(['r1']))).toMatchObject({
      kind: 'network',
      status: 0,
      retryable: true,
    });
    expect(sandbox.inspect.contacts(listId)).toHaveLength(before);
  });

  it('a request that is never answered ends in the client timeout', async () => {
    const { post } = await fresh({ faults: { ...onlyUploads, timeout: 1 } }, 'demo', {
      timeoutMs: 300,
    });
    expect(await failure(post(['t1']))).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('commit-then-drop stores the contacts although the client sees a network error', async () => {
    const { listId, post } = await fresh({ faults: { ...onlyUploads, commitThenDrop: 1 } });
    expect(await failure(post(['d1', 'd2']))).toMatchObject({ kind: 'network', retryable: true });
    expect(sandbox.inspect.contacts(listId).map((contact) => contact.id)).toEqual(
      expect.arrayContaining(['d1', 'd2']),
    );
    expect(sandbox.inspect.requests().at(-1)).toMatchObject({
      status: 0,
      outcome: 'commit-then-drop',
      contactCount: 2,
    });
  });

  it('token expiry mid-run: 401 until a new token is fetched', async () => {
    const { sdk } = await fresh({ faults: { tokenExpiresAfterRequests: 2 } });
    await callGenesys(() => sdk.organization.getOrganizationsMe());
    await callGenesys(() => sdk.organization.getOrganizationsMe());
    expect(await failure(callGenesys(() => sdk.organization.getOrganizationsMe()))).toMatchObject({
      status: 401,
      code: 'bad.credentials',
      retryable: false,
    });
    expect((await failure(callGenesys(() => sdk.organization.getOrganizationsMe()))).status).toBe(
      401,
    );
    const renewed = await signedInClient(sandbox);
    expect((await callGenesys(() => renewed.organization.getOrganizationsMe())).status).toBe(200);
    sandbox.inspect.expireTokens();
    expect(
      (await failure(callGenesys(() => renewed.organization.getOrganizationsMe()))).status,
    ).toBe(401);
  });

  it('the same seed replays the same faults', async () => {
    const statuses = async () => {
      const other = await startSandbox({
        scenario: 'flaky',
        seed: 5,
        overrides: {
          faults: { timeout: 0, latency: { minMs: 0, maxMs: 0 }, tokenExpiresAfterRequests: 0 },
        },
      });
      try {
        const sdk = await signedInClient(other);
        const seen: string[] = [];
        for (let i = 0; i < 40; i += 1) {
          const result = await callGenesys(() => sdk.organization.getOrganizationsMe()).catch(
            (error: unknown) => error,
          );
          seen.push(result instanceof GenesysApiError ? `${result.kind}:${result.status}` : 'ok');
        }
        return seen;
      } finally {
        await other.stop();
      }
    };
    const first = await statuses();
    expect(first.some((status) => status !== 'ok')).toBe(true);
    expect(await statuses()).toEqual(first);
  });
});
