import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readPublishedRatePerMinute } from '../../core/genesys/org-limits';
import { OrgLimiter } from '../../core/engine/throttle/org-limiter';
import { UploadRun } from '../../core/engine/contacts/contacts-run';
import { createFetchTransport } from '../../core/engine/contacts/transport';
import type { SourceRow } from '../../core/engine/types';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { expectWrittenOnce, writesById } from '../support/exactly-once';
import { orgTokenSource } from '../support/sandbox-sdk';
import { clientRateLimit } from '../support/upload-fixtures';

const root = mkdtempSync(join(tmpdir(), 'sluice-engine-it-'));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLUMNS = [
  'FirstName',
  'LastName',
  'HomePhone',
  'MobilePhone',
  'Email',
  'AccountId',
  'Region',
  'ZipCode',
];

function source(
  count: number,
  bad: ReadonlySet<number> = new Set(),
): () => AsyncIterable<SourceRow> {
  return async function* () {
    for (let n = 1; n <= count; n += 1) {
      const data: Record<string, string> = {
        FirstName: `First${n}`,
        LastName: `Last${n}`,
        HomePhone: `+1317555${String(n).padStart(4, '0')}`,
        AccountId: `ACC-${n}`,
        Region: bad.has(n) ? 'x'.repeat(600) : 'Midwest',
      };
      yield { rowNumber: n, ok: true, contact: { id: `ACC-${n}`, data } };
    }
  };
}

/** What `source(count)` stores for each good row, by contact id. */
function expectedContacts(count: number): Map<string, Record<string, string>> {
  const expected = new Map<string, Record<string, string>>();
  for (let n = 1; n <= count; n += 1) {
    expected.set(`ACC-${n}`, {
      FirstName: `First${n}`,
      LastName: `Last${n}`,
      HomePhone: `+1317555${String(n).padStart(4, '0')}`,
      AccountId: `ACC-${n}`,
      Region: 'Midwest',
    });
  }
  return expected;
}

function runOn(
  box: Sandbox,
  listId: string,
  rows: () => AsyncIterable<SourceRow>,
  name: string,
  extra: { batchSize?: number; limiter?: OrgLimiter; timeoutMs?: number } = {},
): UploadRun {
  const org = box.orgs[0];
  if (!org) throw new Error('sandbox has no org');
  return new UploadRun({
    runId: name,
    runDir: join(root, name),
    orgName: org.name,
    contactListId: listId,
    source: rows,
    limiter:
      extra.limiter ??
      new OrgLimiter({
        backoff: { baseDelayMs: 50, maxDelayMs: 500 },
        rateController: { initialRatePerSecond: 20 },
      }),
    tokenSource: orgTokenSource(box),
    transport: createFetchTransport({ apiUrl: box.url, timeoutMs: extra.timeoutMs ?? 5000 }),
    batchLimits: { maxContacts: extra.batchSize ?? 100 },
    retryBackoff: { baseDelayMs: 20, maxDelayMs: 200 },
  });
}

function newList(box: Sandbox, name: string): string {
  const org = box.orgs[0];
  if (!org) throw new Error('sandbox has no org');
  return box.inspect.createContactList(org.id, {
    name,
    columnNames: COLUMNS,
    phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
  }).id;
}

describe('engine against the sandbox (real HTTP path)', () => {
  it('uploads every row exactly once under flaky faults, including commit-then-drop', async () => {
    sandbox = await startSandbox({
      scenario: 'flaky',
      seed: 7,
      overrides: {
        faults: { commitThenDrop: 0.08, timeout: 0.01, tokenExpiresAfterRequests: 25 },
      },
    });
    const listId = newList(sandbox, 'Flaky load');
    const summary = await runOn(sandbox, listId, source(3000), 'flaky', {
      timeoutMs: 1500,
    }).start();

    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: 3000,
      uploaded: 3000,
      failed: 0,
      rejected: 0,
    });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    // Every expected id with its values, written at least once. A request the Sandbox committed
    // but whose answer was lost (commit-then-drop, or a latency spike past the client's timeout)
    // is sent again, so some contacts are written more than once: but only by retries, so the
    // extra writes are bounded by the retried batches (100 contacts each).
    expect(
      sandbox.inspect.requests().filter((entry) => entry.outcome === 'commit-then-drop').length,
    ).toBeGreaterThan(0);
    expectWrittenOnce(sandbox, listId, expectedContacts(3000), () => true, {
      min: 1,
      max: 1 + summary.retries,
    });
    const extraWrites =
      [...writesById(sandbox, listId).values()].reduce((sum, writes) => sum + writes, 0) - 3000;
    expect(extraWrites).toBeGreaterThan(0);
    expect(extraWrites).toBeLessThanOrEqual(summary.retries * 100);
    expect(summary.retries).toBeGreaterThan(0);
  });

  it('bisects a 400 down to the offending rows and uploads the rest', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const listId = newList(sandbox, 'Bisection');
    const bad = new Set([17, 140, 141]);
    const summary = await runOn(sandbox, listId, source(200, bad), 'bisect', {
      batchSize: 64,
    }).start();

    expect(summary).toMatchObject({ state: 'completed', uploaded: 197, rejected: 3, failed: 0 });
    expect(summary.invariant.holds).toBe(true);
    // A refused batch stores nothing: each good row is written once, the bad ones never.
    const good = expectedContacts(200);
    for (const n of bad) good.delete(`ACC-${n}`);
    expectWrittenOnce(sandbox, listId, good, () => true);
    const rejected = readFileSync(join(summary.runDir, 'rejected-rows.csv'), 'utf8')
      .trim()
      .split('\r\n');
    expect(rejected.slice(1).map((line) => line.split(',')[0])).toEqual(['17', '140', '141']);
    expect(rejected[1]).toMatch(/400,bad.request/);
  });

  it('stops on 404 with a message a consultant understands', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const summary = await runOn(sandbox, 'no-such-list', source(50), 'missing', {
      batchSize: 10,
    }).start();
    expect(summary.state).toBe('stopped');
    expect(summary.stateReason).toMatch(/Contact list no-such-list was not found/);
    expect(summary.uploaded).toBe(0);
    expect(summary.invariant.holds).toBe(true);
    expect(summary.failed).toBe(summary.rowsRead);
  });

  it('spends the header-described window budget minus headroom and draws no 429', async () => {
    sandbox = await startSandbox({
      scenario: 'demo',
      overrides: clientRateLimit(20, 2000),
    });
    const listId = newList(sandbox, 'Paced');
    const tokenSource = orgTokenSource(sandbox);
    const perMinute = await readPublishedRatePerMinute({ apiUrl: sandbox.url, tokenSource });
    expect(perMinute).toBe(600);
    const limiter = new OrgLimiter({ headroom: 0.1 });
    limiter.seedFromLimit(perMinute ?? 0);
    const summary = await runOn(sandbox, listId, source(500), 'paced', {
      batchSize: 10,
      limiter,
    }).start();
    expect(summary).toMatchObject({ state: 'completed', uploaded: 500 });
    expect(summary.invariant.holds).toBe(true);
    // the seed request above used one request of the first window
    expect(summary.throttled).toBe(0);
  });
});
