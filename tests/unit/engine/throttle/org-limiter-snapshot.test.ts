import { describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-clock';
import { quickLimiter, roomyHeaders } from './quick-limiter';

/**
 * A hidden fixed window of 12 requests per second (no headers describe it; a 429 carries a
 * Retry-After of the window's rest) over 40 s, long enough for losses, holds and probes.
 * `readEveryMs` reads `snapshot()` on that beat meanwhile, as the run's metrics do for the UI.
 * Returns when each request was sent.
 */
async function sendTimes(readEveryMs: number | undefined): Promise<number[]> {
  const windowMs = 1000;
  const budget = 12;
  const clock = new FakeClock();
  const org = quickLimiter(clock);
  const headers = roomyHeaders(60);
  const sent: number[] = [];
  const untilMs = 40_000;
  let stop = false;
  const uploader = async (): Promise<void> => {
    while (!stop) {
      const permit = await org.acquire();
      if (!permit) return;
      sent.push(permit.sentAtMs);
      const windowStartMs = Math.floor(permit.sentAtMs / windowMs) * windowMs;
      const inWindow = sent.filter((atMs) => atMs >= windowStartMs).length;
      await clock.sleep(5);
      if (inWindow <= budget) org.complete(permit, { signal: 'ok', latencyMs: 5, headers });
      else
        org.complete(permit, {
          signal: 'throttled',
          latencyMs: 5,
          headers,
          retryAfterMs: windowStartMs + windowMs - permit.sentAtMs,
        });
      if (clock.nowMs() >= untilMs) stop = true;
    }
  };
  const reader = async (): Promise<void> => {
    while (!stop && readEveryMs !== undefined) {
      org.snapshot();
      await clock.sleep(readEveryMs);
    }
  };
  const running = Promise.all([uploader(), uploader(), reader()]);
  await clock.advanceTo(untilMs);
  stop = true;
  await clock.advanceTo(untilMs + 10_000);
  await running;
  return sent;
}

describe('OrgLimiter.snapshot', () => {
  it('is a pure read: the run is paced the same however often the metrics read it', async () => {
    const unread = await sendTimes(undefined);
    // losses, holds and probes happened: a run long enough for the climb to matter
    expect(unread.length).toBeGreaterThan(300);
    expect(await sendTimes(7)).toEqual(unread);
    expect(await sendTimes(113)).toEqual(unread);
  });
});
