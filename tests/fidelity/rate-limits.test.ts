import { describe, expect } from 'vitest';
import { callGenesys } from '../../core/genesys/sdk-client';
import type { DeepPartial, LimitLayerConfig, SandboxConfig } from '../../core/sandbox';
import { POST_CONTACTS_ROUTE } from '../../core/sandbox';
import { failureOf, sandboxOnly, startTarget, type FidelityTarget } from './target';

/**
 * Rate-limit signals (docs/GENESYS.md#rate-limit-headers and below). All sandbox-only: drawing
 * 429s from a customer's live org would spend its budget.
 */
const reason = 'draws 429s, which would spend a live org budget';

const layer = (overrides: Partial<LimitLayerConfig>): LimitLayerConfig => ({
  name: 'per-client',
  scope: 'client',
  requests: 2,
  windowMs: 10_000,
  window: 'fixed',
  reported: true,
  ...overrides,
});

/** Starts a Sandbox target with these limits, runs `test`, always stops it. */
async function withTarget(
  overrides: DeepPartial<SandboxConfig>,
  test: (target: FidelityTarget) => Promise<void>,
): Promise<void> {
  const target = await startTarget(overrides);
  try {
    await test(target);
  } finally {
    await target.stop();
  }
}

/** Spends the budget with `count` calls, then returns the error of the next one. */
async function exhaust(target: FidelityTarget, count: number) {
  for (let index = 0; index < count; index += 1)
    await callGenesys(() => target.sdk.organization.getOrganizationsMe());
  return failureOf(() => target.sdk.organization.getOrganizationsMe());
}

describe('429 answers', () => {
  sandboxOnly(
    '#rate-limit-429-body (Genesys API definitions 429 codes): code too.many.requests.retry.after, "Retry the request in [N] seconds", N = Retry-After',
    reason,
    () =>
      withTarget({ limits: [layer({})], retryAfterMode: 'honest' }, async (target) => {
        const error = await exhaust(target, 2);
        const retryAfter = Number(error.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(10);
        expect(error.body).toEqual(
          expect.objectContaining({
            status: 429,
            code: 'too.many.requests.retry.after',
            message: `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
          }),
        );
      }),
  );

  sandboxOnly(
    '#rate-limit-429-body (field reports): without the header the message still carries the wait',
    reason,
    () =>
      withTarget({ limits: [layer({})], retryAfterMode: 'message-only' }, async (target) => {
        const error = await exhaust(target, 2);
        expect(error.headers['retry-after']).toBeUndefined();
        expect(error.retryAfterSeconds).toBeUndefined();
        const message = (error.body as { message: string }).message;
        const wait = Number(/Retry the request in \[(\d+)\] seconds/.exec(message)?.[1]);
        expect(wait).toBeGreaterThanOrEqual(1);
        expect(wait).toBeLessThanOrEqual(10);
        expect(error.code).toBe('too.many.requests.retry.after');
      }),
  );

  sandboxOnly(
    '#rate-limit-429-body: with neither header nor wait, the code is too.many.requests',
    reason,
    () =>
      withTarget({ limits: [layer({})], retryAfterMode: 'missing' }, async (target) => {
        const error = await exhaust(target, 2);
        expect(error.headers['retry-after']).toBeUndefined();
        expect(error.body).toMatchObject({ status: 429, code: 'too.many.requests' });
        expect((error.body as { message: string }).message).not.toMatch(/\[\d+\]/);
      }),
  );

  sandboxOnly(
    '#retry-after-long (gc CLI restclient.go gives up past 180 s): Retry-After can exceed 30 s',
    reason,
    () =>
      withTarget(
        { limits: [layer({ windowMs: 120_000 })], retryAfterMode: 'honest' },
        async (target) => {
          const error = await exhaust(target, 2);
          expect(error.retryAfterSeconds).toBeGreaterThan(30);
          expect(error.retryAfterSeconds).toBeLessThanOrEqual(120);
        },
      ),
  );
});

describe('headers and layers', () => {
  sandboxOnly(
    '#rate-limit-headers (field responses): a success reports inin-ratelimit-allowed, -count and -reset',
    reason,
    () =>
      withTarget({ limits: [layer({ requests: 180, windowMs: 60_000 })] }, async (target) => {
        const answer = await callGenesys(() => target.sdk.organization.getOrganizationsMe());
        expect(answer.rateLimit).toEqual({ allowed: 180, count: 1, resetMs: 60_000 });
      }),
  );

  sandboxOnly(
    '#layered-limits (community 429 thread): a hidden layer refuses while the reported one has budget left',
    reason,
    () =>
      withTarget(
        {
          limits: [
            layer({ requests: 300, windowMs: 60_000 }),
            layer({
              name: 'hidden per org upload',
              scope: 'org',
              endpoint: POST_CONTACTS_ROUTE,
              requests: 1,
              reported: false,
            }),
          ],
          retryAfterMode: 'short',
        },
        async (target) => {
          const send = () =>
            target.sdk.outbound.postOutboundContactlistContacts(target.listId, [
              { contactListId: target.listId, id: 'layered-1', data: { Phone: '+13175550100' } },
            ]);
          await callGenesys(send);
          const error = await failureOf(send);
          expect(error.status).toBe(429);
          const count = Number(error.headers['inin-ratelimit-count']);
          expect(count).toBeLessThan(Number(error.headers['inin-ratelimit-allowed']));
          expect(target.sandbox?.inspect.counters().rateLimitedByLayer).toEqual({
            'hidden per org upload': 1,
          });
        },
      ),
  );
});

describe('status classes', () => {
  sandboxOnly(
    '#status-classes (gc CLI restclient.go retries 429 and 5xx but 501): a 503 is retryable, a 400 is not',
    'needs injected faults',
    () =>
      withTarget(
        { faults: { status503: 1, endpoints: ['GET /api/v2/organizations/me'] } },
        async (target) => {
          const unavailable = await failureOf(() => target.sdk.organization.getOrganizationsMe());
          expect(unavailable).toMatchObject({ status: 503, retryable: true });
          const bad = await failureOf(() =>
            target.sdk.outbound.postOutboundContactlistContacts(target.listId, [
              { contactListId: target.listId, data: { Shoe: '42' } },
            ]),
          );
          expect(bad).toMatchObject({ status: 400, retryable: false });
        },
      ),
  );
});
