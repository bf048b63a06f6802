import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../core/contract';
import { runSummaryText } from '../../../cli/commands/run-summary-text';

const summary: RunSummary = {
  runId: '20261202-1',
  orgName: 'Sandbox',
  contactListId: 'list-1',
  strategy: 'import',
  state: 'cancelled',
  startedAt: '2026-12-02T12:00:00.000Z',
  updatedAt: '2026-12-02T12:01:00.000Z',
  elapsedMs: 60_000,
  rowsRead: 435,
  uploaded: 0,
  rejected: 0,
  failed: 435,
  skipped: 0,
  requests: 0,
  throttled: 0,
  retries: 0,
  contactsPerSecond: 0,
  invariant: { holds: true, problems: [] },
  runDir: '/tmp/runs/20261202-1',
};

describe("the CLI's run summary", () => {
  it('says how many rows of the file a cancelled run never read, and how to send them', () => {
    const text = runSummaryText(summary, 20_000);
    expect(text).toContain('rows read 435 = uploaded 0 + rejected 0 + failed 435 + skipped 0\n');
    expect(text).toContain(
      '  19,565 rows of the file this run never read (send them: sluice resume /tmp/runs/20261202-1)\n',
    );
    // the 435 failed rows are not sent by the resume: it says so
    expect(text).toContain('  435 failed rows are not part of it');
  });

  it('counts the rows read before the cancel and never sent with the rows never read', () => {
    const text = runSummaryText({ ...summary, strategy: 'contacts', notSent: 400 }, 2_000);
    expect(text).toContain(
      '  1,965 rows this run never sent: 400 read before the cancel and 1,565 never read (send them: sluice resume /tmp/runs/20261202-1)\n',
    );
    expect(text).toContain('  35 failed rows are not part of it');
    // on the command line they wait for its retry command, not for the app's Failures screen
    expect(text).toContain('they stay for `sluice retry /tmp/runs/20261202-1`.');
    expect(text).not.toContain('Failures');
    const allRead = runSummaryText({ ...summary, notSent: 435 }, 435);
    expect(allRead).toContain('  435 rows this run read but never sent (send them');
    expect(allRead).not.toContain('not part of it');
  });

  it('says nothing of the rest when nothing is left, or the run completed', () => {
    expect(runSummaryText(summary, 435)).not.toContain('sluice resume');
    expect(runSummaryText(summary)).not.toContain('sluice resume');
    expect(runSummaryText({ ...summary, state: 'completed' }, 20_000)).not.toContain(
      'sluice resume',
    );
  });
});
