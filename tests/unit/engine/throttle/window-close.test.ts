import { describe, expect, it } from 'vitest';
import {
  simulateBehindHiddenWindowAtBenchScale,
  simulateBehindHiddenWindowAtGenesysScale,
} from './upload-layers';

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
    const run = await simulateBehindHiddenWindowAtBenchScale(
      { hiddenWindowMs: 8000, hidden: 96 },
      { durationMs: 20_000, limitsReadLeadMs: 30 },
    );
    // slow start's first window: refused, then refused again at Retry-After's end (it names
    // the reported window's reset), then a wait the limiter sized itself
    expect(run.requests.filter((r) => !r.ok && r.sentAtMs < 8000).length).toBe(2);
    // the second refuses at the same count. Its wait first tries the middle of when the budget
    // renewed, between the request refused at Retry-After's end and the first admitted after
    // it (`RenewalSearch`): the window here is exactly as long as that admitted request says
    // (8 s, four reported windows in phase with it), so that try is refused once, and its
    // Retry-After (a reported window) ends the wait, where the escalated wait ended by the
    // first window's length. A window that is not a whole number of reported windows is where
    // the search gains (next test)
    const { firstMs, secondMs } = firstTwoWindows(run.requests);
    expect(firstMs).toBeGreaterThanOrEqual(8000);
    expect(firstMs).toBeLessThan(8200);
    expect(secondMs).toBeLessThanOrEqual(firstMs + 2000 + 25);
    expect(run.requests.filter((r) => !r.ok).length).toBe(4);
    // 12/s for 20 s, less slow start's waits
    expect(run.requests.filter((r) => r.ok).length).toBeGreaterThanOrEqual(225);
  });

  it('ends the second window’s wait by the renewal searched, when the window is shorter than its bound', async () => {
    // the same with the hidden window 1.15 times faster (96 per 6.96 s, 13.8/s): the first
    // success after the refused request still comes at 8 s (Retry-After's end), which bounds
    // the window from above only; the second cycle's wait ends at the middle of that bound and
    // the refusal's span, past the window's close and 1 s sooner than that bound
    const run = await simulateBehindHiddenWindowAtBenchScale(
      { hiddenWindowMs: 6957, hidden: 96 },
      { durationMs: 20_000, limitsReadLeadMs: 30 },
    );
    const { firstMs, secondMs } = firstTwoWindows(run.requests);
    expect(firstMs).toBeGreaterThanOrEqual(8000);
    expect(secondMs).toBeGreaterThanOrEqual(6957);
    expect(secondMs).toBeLessThan(firstMs - 500);
    expect(run.requests.filter((r) => !r.ok).length).toBe(3);
    expect(run.requests.filter((r) => r.ok).length).toBeGreaterThanOrEqual(255);
  });

  it('waits for the second window to close by the first one’s length, at Genesys scale', async () => {
    // 300 per minute reported, 720 per 4 minutes hidden, whole-second Retry-After
    const run = await simulateBehindHiddenWindowAtGenesysScale(
      { hiddenWindowMs: 240_000, hidden: 720 },
      { durationMs: 900_000, limitsReadLeadMs: 300 },
    );
    // each window refuses at its count, then once more at Retry-After's end (a minute's reset);
    // the second window's wait tries the middle of the renewal's bounds first (`RenewalSearch`),
    // refused here (the window is four reported ones, in phase), and ends within that try's
    // Retry-After (a reported minute) of the first window's length: never inside it
    const { firstMs, secondMs } = firstTwoWindows(run.requests);
    expect(firstMs).toBeGreaterThanOrEqual(240_000);
    expect(secondMs).toBeGreaterThanOrEqual(240_000);
    expect(secondMs).toBeLessThanOrEqual(firstMs + 60_000);
  });
});
