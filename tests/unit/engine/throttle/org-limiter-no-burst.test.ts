import { describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-clock';
import { POST_CONTACTS_ROUTE } from '../../../../core/sandbox';
import { REPORTED, SIMULATED_AT_BENCH_SCALE } from '../../../bench/upload/cells';
import { quickLimiter, roomyHeaders } from './quick-limiter';
import { simulateUpload } from './simulated-org';

/**
 * A hidden limit without burst (a GCRA of 10 per second, tolerance 0): a request is refused
 * when sent before the theoretical arrival time the last admitted one set (100 ms after it).
 * The client stalls 250 ms before every fourth request, as a loaded machine's event loop does.
 * Counts, after slow start's first second, the requests refused right after a stalled one
 * (sent early to catch up) while the pace kept within the limit, and all requests sent.
 */
async function stallsOnGcra(): Promise<{ refusedAfterStall: number; sent: number }> {
  const emissionMs = 100;
  const clock = new FakeClock();
  const org = quickLimiter(clock);
  const headers = roomyHeaders(2);
  let theoreticalArrivalMs = -Infinity;
  let refusedAfterStall = 0;
  let sent = 0;
  let stop = false;
  const untilMs = 30_000;
  const loop = async (): Promise<void> => {
    let stalledBefore = false;
    while (!stop) {
      const stalls = sent % 4 === 3;
      if (stalls) await clock.sleep(250);
      const permit = await org.acquire();
      if (!permit) return;
      sent += 1;
      const admitted = permit.sentAtMs >= theoreticalArrivalMs;
      if (admitted) {
        theoreticalArrivalMs = permit.sentAtMs + emissionMs;
        org.complete(permit, { signal: 'ok', latencyMs: 1, headers });
      } else {
        // (a pace above the limit is a probe's, refused whether a stall came before or not)
        const withinLimit = org.snapshot().pacingRatePerSecond <= 1000 / emissionMs;
        if (stalledBefore && withinLimit && permit.sentAtMs >= 1000) refusedAfterStall += 1;
        org.complete(permit, { signal: 'throttled', latencyMs: 1, headers, retryAfterMs: 1 });
      }
      stalledBefore = stalls;
      if (clock.nowMs() >= untilMs) stop = true;
    }
  };
  const running = loop();
  await clock.advanceTo(untilMs);
  stop = true;
  await clock.advanceTo(untilMs + 10_000);
  await running;
  return { refusedAfterStall, sent };
}

describe('OrgLimiter on a limit without burst', () => {
  it('sends no request early after a stalled one once slow start found a budget of one', async () => {
    const { refusedAfterStall, sent } = await stallsOnGcra();
    // with the pacer's half request of slack, the request after a stall went half a spacing
    // early, drew a 429, and each such loss set the pace lower (142 sent instead of 200)
    expect(refusedAfterStall).toBe(0);
    expect(sent).toBeGreaterThan(180);
  });
});

describe('OrgLimiter learning a limit without burst', () => {
  it('takes the spacing a refused try rose past for the limit, whatever its rate', async () => {
    // the upload bench's "GCRA, burst 1" cell (40 per 2 s reported, a GCRA of 12/s without
    // burst, honest Retry-After) with the GCRA at 15.6/s and 13.8/s. Slow start's 18.6/s draws
    // the first 429 at the second upload; the floor under it (11.2/s) then gets through by its
    // spacing, so the search tries the interval's middle, and a try or probe refused on a limit
    // without burst is the limit by the spacing it rose past, where the geometric middle with
    // the rate held left the pace at 11.8/s and 11.5/s for 25 s
    for (const ratePerSecond of [15.6, 13.8]) {
      const run = await simulateUpload({
        ...SIMULATED_AT_BENCH_SCALE,
        layers: [
          REPORTED,
          {
            name: 'contacts.upload.per.org (hidden)',
            scope: 'org',
            endpoint: POST_CONTACTS_ROUTE,
            window: 'token-bucket',
            requests: 12,
            windowMs: (1000 * 12) / ratePerSecond,
            burst: 1,
            reported: false,
          },
        ],
        retryAfterMode: 'honest',
        durationMs: 25_000,
        sessionReads: { list: true, sessionOpenMs: 30 },
      });
      const admitted = run.requests.filter((r) => r.ok).length;
      const refused = run.requests.filter((r) => !r.ok).length;
      expect(admitted / 25).toBeGreaterThan(0.9 * ratePerSecond);
      expect(refused / run.requests.length).toBeLessThan(0.02);
    }
  });
});

/**
 * One request at a time through a limit without burst: the second request is refused (slow
 * start's first cycle admitted one), then every request gets through in 1 ms but request
 * `held`, answered after `heldMs` (a stalled server loop read it late), and the one after it,
 * refused. Returns the pace each request was granted at.
 */
async function heldBeforeRefusal(held: number, heldMs: number): Promise<number[]> {
  const clock = new FakeClock();
  const org = quickLimiter(clock);
  const headers = roomyHeaders(2);
  const paces: number[] = [];
  const loop = async (): Promise<void> => {
    for (let sent = 1; sent <= held + 10; sent += 1) {
      const permit = await org.acquire();
      if (!permit) return;
      paces.push(org.snapshot().pacingRatePerSecond);
      const refused = sent === 2 || sent === held + 1;
      await clock.sleep(sent === held ? heldMs : 1);
      const latencyMs = clock.nowMs() - permit.sentAtMs;
      if (refused)
        org.complete(permit, { signal: 'throttled', latencyMs, headers, retryAfterMs: 1 });
      else org.complete(permit, { signal: 'ok', latencyMs, headers });
    }
  };
  const running = loop();
  await clock.advanceTo(60_000);
  await running;
  return paces;
}

describe('OrgLimiter on a limit without burst, the request before a 429 held on its way in', () => {
  it('keeps its pace when that request took a stall long to answer', async () => {
    // request 40 answered after 70 ms, where the others took 1: it may have reached the limit
    // 70 ms late, 30 ms before the next one, sent a spacing after it, and been refused for
    // that closeness, not for the pace; the pace after the 429's wait goes on from the pace
    // before it. Taken as a loss, the pace restarted below it, at a measure the wait diluted
    const paces = await heldBeforeRefusal(40, 70);
    expect(paces[41]).toBeGreaterThanOrEqual(paces[40]! * 0.99);
    // a round trip like the others: the 429 is the pace's, and the pace restarts lower
    const onTime = await heldBeforeRefusal(40, 1);
    expect(onTime[41]).toBeLessThan(onTime[40]! * 0.99);
  });
});
