import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UploadRun } from '../../core/engine/contacts/contacts-run';
import { createFetchTransport } from '../../core/engine/contacts/transport';
import { OrgLimiter } from '../../core/engine/throttle/org-limiter';
import { makeOrg } from '../../core/sandbox/scenarios';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import type { RequestLogEntry } from '../../core/sandbox/types';
import {
  CONTACTS_POST,
  expectedIds,
  newList,
  requestsBy,
  storedIds,
  validRows,
} from '../support/upload-fixtures';
import { orgTokenSource } from '../support/sandbox-sdk';

// Concurrent runs and the org limiter (docs/ARCHITECTURE.md: one limiter per org, shared by
// every run on that org). Each limiter here paces at a fixed PACE_PER_SECOND and the Sandbox
// sets no limit, so the request log shows whose pace bound the requests: two runs on one org
// share one pace (each with its own batch size), two orgs at once each get their own.

const PACE_PER_SECOND = 10;
/** Spans checked in the request log; a token bucket of capacity 1 lets through at most rate × span + 1. */
const SPAN_MS = 2000;
const MAX_IN_ONE_PACE = (PACE_PER_SECOND * SPAN_MS) / 1000 + 2;

const root = mkdtempSync(join(tmpdir(), 'sluice-shared-limiter-'));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An org limiter held at one pace (no slow start, no probing above it). */
function newLimiter(): OrgLimiter {
  return new OrgLimiter({
    backoff: { baseDelayMs: 50, maxDelayMs: 1000 },
    rateController: {
      initialRatePerSecond: PACE_PER_SECOND,
      maxRatePerSecond: PACE_PER_SECOND,
    },
  });
}

function runOn(
  box: Sandbox,
  orgIndex: number,
  name: string,
  rows: number,
  batchSize: number,
  limiter: OrgLimiter,
) {
  const org = box.inspect.orgs()[orgIndex]!;
  const listId = newList(box, name, orgIndex);
  const run = new UploadRun({
    runId: name,
    runDir: join(root, name),
    orgName: org.name,
    contactListId: listId,
    source: validRows(name, rows),
    limiter,
    tokenSource: orgTokenSource(box, orgIndex),
    transport: createFetchTransport({ apiUrl: box.url, timeoutMs: 5000 }),
    batchLimits: { maxContacts: batchSize },
    retryBackoff: { baseDelayMs: 20, maxDelayMs: 200 },
  });
  return { run, listId, clientId: org.clientId };
}

/** The contact counts of the POSTs the Sandbox answered 200 for one list. */
function postedBatchSizes(box: Sandbox, listId: string): number[] {
  return box.inspect
    .requests()
    .filter(
      (entry) =>
        entry.method === 'POST' &&
        entry.path === `/api/v2/outbound/contactlists/${listId}/contacts` &&
        entry.status === 200,
    )
    .map((entry) => entry.contactCount ?? 0);
}

/** The most API requests (any client in `clientIds`) the Sandbox saw within any `spanMs`. */
function busiestSpan(entries: RequestLogEntry[], clientIds: string[], spanMs: number): number {
  const times = entries
    .filter((entry) => entry.clientId !== undefined && clientIds.includes(entry.clientId))
    .map((entry) => entry.atMs)
    .sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= spanMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('concurrent runs against the Sandbox, checked on its request log', () => {
  it('two runs on one org share its limiter: one pace for both, each run with its own batch size', async () => {
    sandbox = await startSandbox({ scenario: 'demo', overrides: { limits: [] } });
    const box = sandbox;
    const shared = newLimiter();
    const small = runOn(box, 0, 'shared-small', 200, 4, shared);
    const large = runOn(box, 0, 'shared-large', 200, 8, shared);

    const [smallSummary, largeSummary] = await Promise.all([small.run.start(), large.run.start()]);

    expect(smallSummary).toMatchObject({ state: 'completed', uploaded: 200, failed: 0 });
    expect(largeSummary).toMatchObject({ state: 'completed', uploaded: 200, failed: 0 });
    expect(storedIds(box, small.listId)).toEqual(expectedIds('shared-small', 200));
    expect(storedIds(box, large.listId)).toEqual(expectedIds('shared-large', 200));
    // Each run kept its own batch size (options are per run, the budget is per org)...
    expect(postedBatchSizes(box, small.listId)).toHaveLength(50);
    expect(Math.max(...postedBatchSizes(box, small.listId))).toBe(4);
    expect(postedBatchSizes(box, large.listId)).toHaveLength(25);
    expect(Math.max(...postedBatchSizes(box, large.listId))).toBe(8);
    // ...and 75 POSTs went out at the one limiter's pace, not at twice it.
    const log = box.inspect.requests();
    expect(requestsBy(box, 'POST', CONTACTS_POST, { clientId: small.clientId })).toBe(75);
    expect(busiestSpan(log, [small.clientId], SPAN_MS)).toBeLessThanOrEqual(MAX_IN_ONE_PACE);
  });

  it('two orgs at once have isolated budgets: each inside its own pace, together above one', async () => {
    sandbox = await startSandbox({
      scenario: 'demo',
      overrides: {
        orgs: [
          makeOrg('Sandbox', 'sandbox-client', 'sandbox-secret'),
          makeOrg('Partner Tenant', 'partner-client', 'partner-secret'),
        ],
        limits: [],
      },
    });
    const box = sandbox;
    const first = runOn(box, 0, 'org-a', 300, 5, newLimiter());
    const second = runOn(box, 1, 'org-b', 300, 5, newLimiter());

    const [firstSummary, secondSummary] = await Promise.all([
      first.run.start(),
      second.run.start(),
    ]);

    expect(firstSummary).toMatchObject({ state: 'completed', uploaded: 300, failed: 0 });
    expect(secondSummary).toMatchObject({ state: 'completed', uploaded: 300, failed: 0 });
    expect(storedIds(box, first.listId)).toEqual(expectedIds('org-a', 300));
    expect(storedIds(box, second.listId)).toEqual(expectedIds('org-b', 300));
    // Each org's POSTs carry its own client and went to its own list.
    expect(requestsBy(box, 'POST', CONTACTS_POST, { clientId: first.clientId })).toBe(60);
    expect(requestsBy(box, 'POST', CONTACTS_POST, { clientId: second.clientId })).toBe(60);
    expect(postedBatchSizes(box, first.listId)).toHaveLength(60);
    const log = box.inspect.requests();
    expect(busiestSpan(log, [first.clientId], SPAN_MS)).toBeLessThanOrEqual(MAX_IN_ONE_PACE);
    expect(busiestSpan(log, [second.clientId], SPAN_MS)).toBeLessThanOrEqual(MAX_IN_ONE_PACE);
    // Both orgs sent at once, each at its own pace: more than one limiter would let through.
    expect(busiestSpan(log, [first.clientId, second.clientId], SPAN_MS)).toBeGreaterThan(
      MAX_IN_ONE_PACE,
    );
  });
});
