import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createClientCredentialsTokenSource } from '../../core/genesys/client-credentials';
import type { TokenSource } from '../../core/genesys/token-source';
import { UploadRun } from '../../core/engine/contacts/contacts-run';
import { createFetchTransport } from '../../core/engine/contacts/transport';
import { OrgLimiter } from '../../core/engine/throttle/org-limiter';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import {
  CONTACTS_POST,
  expectedIds,
  failedIds,
  newList,
  requestsBy,
  storedIds,
  validRows,
} from '../support/upload-fixtures';

// A token that stops working in the middle of an upload, on the real HTTP path: the engine
// refreshes once after a 401 (docs/GENESYS.md: 401 means "refresh the token once"), stops with
// an actionable reason when the secret itself is refused or a fresh token is refused too, and
// in every case accounts for each row exactly once: what the Sandbox stored is what the run
// calls uploaded, and the rest is failed with the reason.

const ROWS = 300;
const root = mkdtempSync(join(tmpdir(), 'sluice-token-failure-'));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function uploadRun(box: Sandbox, name: string, listId: string, tokenSource: TokenSource) {
  return new UploadRun({
    runId: name,
    runDir: join(root, name),
    orgName: 'Sandbox',
    contactListId: listId,
    source: validRows(name, ROWS),
    limiter: new OrgLimiter({
      backoff: { baseDelayMs: 20, maxDelayMs: 200 },
      rateController: { initialRatePerSecond: 50 },
    }),
    tokenSource,
    transport: createFetchTransport({ apiUrl: box.url, timeoutMs: 5000 }),
    batchLimits: { maxContacts: 10 },
    retryBackoff: { baseDelayMs: 20, maxDelayMs: 200 },
  });
}

function tokenSourceFor(box: Sandbox) {
  const org = box.inspect.orgs()[0]!;
  return createClientCredentialsTokenSource({
    apiUrl: box.url,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
    orgLabel: org.name,
  });
}

/** Calls `action` once, when the run reports its first uploaded batch. */
function afterFirstUpload(run: UploadRun, action: () => void): void {
  let done = false;
  run.on((event) => {
    if (!done && event.type === 'batch' && event.batch.outcome === 'uploaded') {
      done = true;
      action();
    }
  });
}

/** The run's accounting agrees with the Sandbox: stored = uploaded, the rest failed, no overlap. */
function expectSplitBetweenStoredAndFailed(box: Sandbox, listId: string, runDir: string) {
  const stored = storedIds(box, listId);
  const failed = failedIds(runDir);
  expect(stored.length).toBeGreaterThan(0);
  expect(failed.length).toBeGreaterThan(0);
  expect(stored.filter((id) => failed.includes(id))).toEqual([]);
  expect([...stored, ...failed].sort()).toEqual(expectedIds(runDir.split('/').pop()!, ROWS));
  return { stored, failed };
}

describe('a token failure during an upload (contacts strategy, real Sandbox)', () => {
  it('tokens revoked once mid-run: refreshes once and uploads every row', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const box = sandbox;
    const listId = newList(box, 'Token revoked once');
    const run = uploadRun(box, 'revoked-once', listId, tokenSourceFor(box));
    afterFirstUpload(run, () => box.inspect.expireTokens());

    const summary = await run.start();

    expect(summary).toMatchObject({ state: 'completed', uploaded: ROWS, failed: 0 });
    expect(storedIds(box, listId)).toEqual(expectedIds('revoked-once', ROWS));
    // The revocation really drew 401s, and one new token fixed them (a shared refresh).
    expect(requestsBy(box, 'POST', CONTACTS_POST, { status: 401 })).toBeGreaterThan(0);
    expect(box.inspect.counters().tokensIssued).toBe(2);
  });

  it('secret refused mid-run (rotated in the org): stops with an actionable reason, every row once', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const box = sandbox;
    const org = box.inspect.orgs()[0]!;
    const listId = newList(box, 'Secret rotated');
    const run = uploadRun(box, 'secret-rotated', listId, tokenSourceFor(box));
    afterFirstUpload(run, () => {
      // An admin rotates the OAuth client's secret: the Sandbox's auth reads the live org config.
      box.inspect.config().orgs[0]!.clientSecret = 'rotated-by-an-admin';
      box.inspect.expireTokens();
    });

    const summary = await run.start();

    expect(summary.state).toBe('stopped');
    expect(summary.stateReason).toMatch(/client id or secret was refused/);
    expect(summary.stateReason).toContain(org.clientId);
    expect(summary.stateReason).not.toContain(org.clientSecret);
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    const { stored, failed } = expectSplitBetweenStoredAndFailed(box, listId, summary.runDir);
    expect(summary).toMatchObject({
      rowsRead: stored.length + failed.length,
      uploaded: stored.length,
      failed: failed.length,
    });
    // The refused secret is asked for a bounded number of times, not retried in a loop.
    const refusedTokenCalls = requestsBy(box, 'POST', /^\/oauth\/token$/, { status: 401 });
    expect(refusedTokenCalls).toBeGreaterThanOrEqual(1);
    expect(refusedTokenCalls).toBeLessThanOrEqual(16);
  });

  it('a second 401 with a freshly issued token: stops instead of refreshing forever', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const box = sandbox;
    const listId = newList(box, 'Fresh token refused');
    const real = tokenSourceFor(box);
    let refuseEveryToken = false;
    // From the first upload on, the Sandbox revokes each token right after issuing it, so the
    // refreshed token draws a 401 as well (an OAuth client the API no longer accepts).
    const tokenSource: TokenSource = {
      async getAccessToken() {
        const token = await real.getAccessToken();
        if (refuseEveryToken) box.inspect.expireTokens();
        return token;
      },
      invalidate: (token) => real.invalidate(token),
    };
    const run = uploadRun(box, 'fresh-refused', listId, tokenSource);
    afterFirstUpload(run, () => {
      refuseEveryToken = true;
      box.inspect.expireTokens();
    });

    const summary = await run.start();

    expect(summary.state).toBe('stopped');
    expect(summary.stateReason).toMatch(/refused a freshly issued token/);
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    const { stored } = expectSplitBetweenStoredAndFailed(box, listId, summary.runDir);
    expect(summary.uploaded).toBe(stored.length);
    // Each batch refreshes once at most: 401s stay within two per batch that was in flight.
    const unauthorized = requestsBy(box, 'POST', CONTACTS_POST, { status: 401 });
    expect(unauthorized).toBeGreaterThanOrEqual(2);
    expect(unauthorized).toBeLessThanOrEqual(2 * 16);
  });
});
