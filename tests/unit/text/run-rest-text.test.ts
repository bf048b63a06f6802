import { describe, expect, it } from 'vitest';
import { runRest, type RunSummary } from '../../../core/contract/runs';
import { runRestText } from '../../../core/text/run-rest-text';

// What "Upload the rest" sends, in the words the run view, its report and the CLI share.

type Counts = Pick<RunSummary, 'state' | 'rowsRead' | 'failed' | 'notSent'>;

describe('the rest of a run', () => {
  it('a cancelled run: the rows read but not sent, the rows never read, and the failed rows left', () => {
    const summary: Counts = { state: 'cancelled', rowsRead: 2100, failed: 1850, notSent: 1800 };
    const rest = runRest(summary, 3000);
    expect(rest).toEqual({
      cause: 'cancel',
      notSent: 1800,
      notRead: 900,
      total: 2700,
      otherFailed: 50,
    });
    expect(runRestText(rest!)).toEqual({
      head: '2,700 rows this run never sent',
      detail: '1,800 read before the cancel and 900 never read',
      leftFailed:
        '50 failed rows are not part of it (sent without a confirmed answer, or failed before the cancel): they stay in Failures for a retry.',
    });
  });

  it('a stopped run (a 403 or 404) has a rest too, worded as a stop', () => {
    const summary: Counts = { state: 'stopped', rowsRead: 400, failed: 391, notSent: 390 };
    const rest = runRest(summary, 1000);
    expect(rest).toMatchObject({ cause: 'stop', notSent: 390, notRead: 600, total: 990 });
    const text = runRestText(rest!, 'for `sluice retry RUN`');
    expect(text.detail).toBe('390 read before the stop and 600 never read');
    expect(text.leftFailed).toBe(
      '1 failed row is not part of it (sent without a confirmed answer, or failed before the stop): it stays for `sluice retry RUN`.',
    );
  });

  it('none for a run that completed, runs or is paused, nor when nothing is left', () => {
    for (const state of ['completed', 'running', 'paused'] as const)
      expect(runRest({ state, rowsRead: 10, failed: 2, notSent: 2 }, 20)).toBeUndefined();
    expect(runRest({ state: 'stopped', rowsRead: 20, failed: 0, notSent: 0 }, 20)).toBeUndefined();
  });
});
