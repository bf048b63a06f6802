import { describe, expect, it } from 'vitest';
import { SIMULATED_AT_BENCH_SCALE } from '../../../bench/upload/cells';
import { simulateUpload } from './simulated-org';
import { reportedAndHiddenUploadWindows } from './upload-layers';

/**
 * The first two windows of the run: each opens with the first success after a refusal (the
 * first with the run's first request) and lasts until its refusals end with the next success.
 * Returns how long the first took to close (its U) and the second, both by send times, ms.
 */
function firstTwoWindows(requests: { sentAtMs: number; ok: boolean }[]): {
  firstMs: number;
  secondMs: number;
} {
  const resumes: number[] = [];
  for (let i = 1; i < requests.length; i += 1) {
    if (requests[i]!.ok && !requests[i - 1]!.ok) resumes.push(requests[i]!.sentAtMs);
  }
  const opened = requests[0]?.sentAtMs ?? 0;
  const [first = Infinity, second = Infinity] = resumes;
  return { firstMs: first - opened, secondMs: second - first };
}

/**
 * A hidden fixed window longer than the reported one, with a short Retry-After (it names the
 * reported window's reset): slow start's first window ends in a 429, a request refused again
 * after Retry-After, and a wait the limiter sizes itself; the first success after it bounds the
 * window (U). The second window refuses at the same count since its opening, so it closes by
 * that opening plus U: the wait ends there instead of Retry-After's reset (refused again) and
 * then an escalated wait past the close.
 */
describe('OrgLimiter on a hidden fixed window longer than the reported one', () => {
  it('waits for the second window to close by the first one’s length, at the bench scale', async () => {
    // the upload bench's "120 s window" cell: 40 per 2 s reported, 96 per 8 s hidden, a server
    // second of 67 ms
    const run = await simulateUpload({
      ...SIMULATED_AT_BENCH_SCALE,
      layers: reportedAndHiddenUploadWindows({
        reportedWindowMs: 2000,
        reported: 40,
        hiddenWindowMs: 8000,
        hidden: 96,
      }),
      retryAfterMode: 'short',
      durationMs: 20_000,
      limitsReadLeadMs: 30,
    });
    // slow start's first window: refused, then refused again at Retry-After's end (it names
    // the reported window's reset), then a wait the limiter sized itself
    expect(run.requests.filter((r) => !r.ok && r.sentAtMs < 8000).length).toBe(2);
    // the second refuses at the same count: it is over by the first's length after it opened,
    // where the escalated wait ran half a second past it
    const { firstMs, secondMs } = firstTwoWindows(run.requests);
    expect(firstMs).toBeGreaterThanOrEqual(8000);
    expect(firstMs).toBeLessThan(8200);
    expect(secondMs).toBeLessThanOrEqual(firstMs + 25);
    // 12/s for 20 s, less slow start's waits
    expect(run.requests.filter((r) => r.ok).length).toBeGreaterThanOrEqual(235);
  });

  it('waits for the second window to close by the first one’s length, at Genesys scale', async () => {
    // 300 per minute reported, 720 per 4 minutes hidden, whole-second Retry-After
    const run = await simulateUpload({
      layers: reportedAndHiddenUploadWindows({
        reportedWindowMs: 60_000,
        reported: 300,
        hiddenWindowMs: 240_000,
        hidden: 720,
      }),
      retryAfterMode: 'short',
      durationMs: 900_000,
      latencyMs: 150,
      seedPerMinute: 300,
      limitsReadLeadMs: 300,
    });
    // each window refuses at its count, then once more at Retry-After's end (a minute's reset),
    // and the wait after that ends within a whole second (Retry-After's rounding) of the
    // first window's length after the second opened: never inside it, never a minute past it
    const { firstMs, secondMs } = firstTwoWindows(run.requests);
    expect(firstMs).toBeGreaterThanOrEqual(240_000);
    expect(secondMs).toBeGreaterThanOrEqual(240_000);
    expect(secondMs).toBeLessThanOrEqual(firstMs + 1000);
  });
});
