import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UploadRun } from '../../core/engine/contacts/contacts-run';
import { createFetchTransport } from '../../core/engine/contacts/transport';
import { OrgLimiter } from '../../core/engine/throttle/org-limiter';
import { parseRetryAfterFromMessage } from '../../core/engine/throttle/retry-after-message';
import type { SourceRow } from '../../core/engine/types';
import { POST_CONTACTS_ROUTE, startSandbox, type Sandbox } from '../../core/sandbox';
import { orgTokenSource } from '../support/sandbox-sdk';

const root = mkdtempSync(join(tmpdir(), 'sluice-throttle-shapes-'));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ROWS = 2000;
const BATCH = 10;

function rows(): AsyncIterable<SourceRow> {
  return (async function* () {
    for (let n = 1; n <= ROWS; n += 1) {
      const data = { FirstName: `First${n}`, HomePhone: `+1317555${String(n).padStart(4, '0')}` };
      yield { rowNumber: n, ok: true, contact: { id: `ACC-${n}`, data } };
    }
  })();
}

describe('UploadRun on a hidden limit of another shape than the field report', () => {
  it('a hidden sliding log with a short Retry-After: every row stored once, few 429s', async () => {
    // The reported per-client layer (what the headers and Retry-After describe) allows 60 per
    // 2 s; a hidden per-org sliding log on the upload route allows 16 per 2 s (each request
    // counts for exactly 2 s, no window boundary to wait for), so it binds, and Retry-After
    // ("short") only ever names the reported window's reset.
    sandbox = await startSandbox({
      scenario: 'demo',
      seed: 11,
      overrides: {
        limits: [
          {
            name: 'client.reported',
            scope: 'client',
            requests: 60,
            windowMs: 2000,
            window: 'fixed',
            reported: true,
          },
          {
            name: 'contacts.per.org (hidden log)',
            scope: 'org',
            endpoint: POST_CONTACTS_ROUTE,
            requests: 16,
            windowMs: 2000,
            window: 'sliding',
            reported: false,
          },
        ],
        retryAfterMode: 'short',
      },
    });
    const org = sandbox.orgs[0];
    if (!org) throw new Error('sandbox has no org');
    const listId = sandbox.inspect.createContactList(org.id, {
      name: 'Sliding log load',
      columnNames: ['FirstName', 'HomePhone'],
      phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
    }).id;
    // engine time constants scaled to this sandbox's short windows (as the bench does)
    const limiter = new OrgLimiter({
      backoff: { baseDelayMs: 50, maxDelayMs: 1000 },
      minLimitPeriodMs: 250,
    });
    limiter.seedFromLimit(60 * 30); // the reported 60 per 2 s, as the limits API would say
    const run = new UploadRun({
      runId: 'sliding-log',
      runDir: join(root, 'sliding-log'),
      orgName: org.name,
      contactListId: listId,
      source: rows,
      limiter,
      tokenSource: orgTokenSource(sandbox),
      transport: createFetchTransport({ apiUrl: sandbox.url, timeoutMs: 5000 }),
      batchLimits: { maxContacts: BATCH },
      retryBackoff: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    const summary = await run.start();

    expect(summary).toMatchObject({ state: 'completed', rowsRead: ROWS, uploaded: ROWS });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    // the Sandbox's side: exactly the expected contacts, once each
    const stored = sandbox.inspect.contacts(listId).map((contact) => contact.id);
    expect(stored).toHaveLength(ROWS);
    expect(new Set(stored)).toEqual(
      new Set(Array.from({ length: ROWS }, (_, i) => `ACC-${i + 1}`)),
    );
    // the hidden bucket really bound, and the engine paid few 429s to learn it
    const posts = sandbox.inspect
      .requests()
      .filter((entry) => entry.method === 'POST' && entry.path.endsWith('/contacts'));
    const refused = posts.filter((entry) => entry.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((entry) => entry.outcome?.includes('hidden log'))).toBe(true);
    expect(posts.filter((entry) => entry.status === 200)).toHaveLength(ROWS / BATCH);
    // the engine draws 2-2.5% here (4-5 of ~205 posts; a probe's 429 costs its Retry-After, so
    // it probes rarely): 5% leaves twice that for a loaded machine
    expect(refused.length / posts.length).toBeLessThanOrEqual(0.05);
    expect(summary.throttled).toBe(refused.length);
    expect(limiter.throttleSnapshot().learnedHiddenLimitPerMinute).not.toBeNull();
  }, 60_000);
});

describe('Sandbox limiters over HTTP', () => {
  async function postOne(box: Sandbox, listId: string, token: string, n: number) {
    const response = await fetch(`${box.url}/api/v2/outbound/contactlists/${listId}/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          id: `C-${n}`,
          contactListId: listId,
          data: { FirstName: 'A', HomePhone: `+1317555${String(n).padStart(4, '0')}` },
        },
      ]),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  async function start(layer: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    sandbox = await startSandbox({
      scenario: 'demo',
      overrides: {
        limits: [{ name: 'hidden', scope: 'org', reported: false, ...layer }],
        ...extra,
      },
    });
    const org = sandbox.orgs[0];
    if (!org) throw new Error('sandbox has no org');
    const listId = sandbox.inspect.createContactList(org.id, {
      name: 'HTTP limits',
      columnNames: ['FirstName', 'HomePhone'],
      phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
    }).id;
    const token = await orgTokenSource(sandbox).getAccessToken();
    return { box: sandbox, listId, token };
  }

  it('states the wait only in the 429 message when Retry-After is "body"', async () => {
    const { box, listId, token } = await start(
      { requests: 1, windowMs: 10_000, window: 'fixed' },
      { retryAfterMode: 'message-only' },
    );
    expect((await postOne(box, listId, token, 1)).status).toBe(200);
    const refused = await postOne(box, listId, token, 2);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
    const body = JSON.parse(refused.body) as { code: string; message: string };
    expect(body.code).toBe('too.many.requests.retry.after');
    expect(parseRetryAfterFromMessage(body.message)).toBe(10_000);
  });

  it('a concurrency cap frees its slot when the answer is sent', async () => {
    const { box, listId, token } = await start(
      { requests: 1, windowMs: 1000, window: 'concurrency' },
      { faults: { latency: { minMs: 150, maxMs: 150, spikeProbability: 0, spikeMs: 0 } } },
    );
    const both = await Promise.all([
      postOne(box, listId, token, 1),
      postOne(box, listId, token, 2),
    ]);
    expect(both.map((answer) => answer.status).sort()).toEqual([200, 429]);
    expect((await postOne(box, listId, token, 3)).status).toBe(200);
    expect(box.inspect.counters().rateLimitedByLayer).toEqual({ hidden: 1 });
  });
});
