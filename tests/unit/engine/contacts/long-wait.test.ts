import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadRun } from '../../../../core/engine/contacts/contacts-run';
import type {
  ContactsTransport,
  TransportResult,
} from '../../../../core/engine/contacts/transport';
import { OrgLimiter } from '../../../../core/engine/throttle/org-limiter';
import type { SourceRow } from '../../../../core/engine/types';
import { FakeClock } from '../fake-clock';
import { FakeGenesys, FakeTokens } from '../fake-genesys';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function* tenRows(): AsyncGenerator<SourceRow> {
  for (let n = 1; n <= 10; n += 1)
    yield { rowNumber: n, ok: true, contact: { id: `c${n}`, data: { Name: `n${n}` } } };
}

/** The first POST is a 429 with `Retry-After: seconds`; the rest go to the fake list. */
function throttledOnce(seconds: number): { server: FakeGenesys; transport: ContactsTransport } {
  const server = new FakeGenesys();
  let first = true;
  const transport: ContactsTransport = {
    postContacts: async (request): Promise<TransportResult> => {
      if (!first) return server.postContacts(request);
      first = false;
      return {
        kind: 'response',
        status: 429,
        headers: { 'retry-after': String(seconds) },
        bodyText: JSON.stringify({
          status: 429,
          code: 'too.many.requests.retry.after',
          message: `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
        }),
        latencyMs: 1,
      };
    },
  };
  return { server, transport };
}

function runWith(transport: ContactsTransport, clock: FakeClock, maxRetryAfterMs?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-long-wait-'));
  dirs.push(dir);
  return new UploadRun({
    runId: 'run-1',
    runDir: join(dir, 'run-1'),
    orgName: 'Test org',
    contactListId: 'list-1',
    source: tenRows,
    limiter: new OrgLimiter({
      clock,
      rateController: { initialRatePerSecond: 10_000, maxRatePerSecond: 100_000 },
      backoff: { baseDelayMs: 1, maxDelayMs: 2 },
    }),
    workers: 1,
    tokenSource: new FakeTokens(),
    transport,
    batchLimits: { maxContacts: 10 },
    clock,
    ...(maxRetryAfterMs !== undefined ? { maxRetryAfterMs } : {}),
  });
}

describe('a long Retry-After (docs/GENESYS.md#retry-after-long)', () => {
  it('honours a wait over 30 s and under the cap: nothing is sent before it ends', async () => {
    const clock = new FakeClock();
    const { server, transport } = throttledOnce(45);
    const run = runWith(transport, clock);
    const done = run.start();
    await clock.advanceTo(44_000);
    expect(server.requests).toBe(0);
    expect(run.state).toBe('running');
    await clock.advanceTo(46_000);
    const summary = await done;
    expect(summary).toMatchObject({ state: 'completed', uploaded: 10, throttled: 1 });
    expect(server.requests).toBe(1);
  });

  it('pauses with the reason when the wait passes the cap (default 120 s), and the cap is an option', async () => {
    const paused = runWith(throttledOnce(300).transport, new FakeClock());
    const summary = await paused.start();
    expect(summary).toMatchObject({ state: 'paused', uploaded: 0, failed: 0 });
    expect(summary.stateReason).toBe('Genesys asked to wait 300 s; paused: resume when ready.');

    const clock = new FakeClock();
    const { server, transport } = throttledOnce(300);
    const patient = runWith(transport, clock, 600_000);
    const done = patient.start();
    await clock.advanceTo(301_000);
    expect(await done).toMatchObject({ state: 'completed', uploaded: 10 });
    expect(server.requests).toBe(1);
  });
});
