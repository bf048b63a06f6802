import { describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-clock';
import { quickLimiter, roomyHeaders } from './quick-limiter';

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
