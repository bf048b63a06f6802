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
  it('says how many rows of the file a cancelled run never read', () => {
    const text = runSummaryText(summary, 20_000);
    expect(text).toContain('rows read 435 = uploaded 0 + rejected 0 + failed 435 + skipped 0\n');
    expect(text).toContain(
      '  19,565 rows of the file not read (the run was cancelled before it reached them)\n',
    );
  });

  it('tells how to send only those rows of a contacts run', () => {
    const text = runSummaryText({ ...summary, strategy: 'contacts' }, 436);
    expect(text).toContain(
      '  1 row of the file not read (send only those: sluice resume /tmp/runs/20261202-1)\n',
    );
  });

  it('says nothing of rows not read when every row was read, the count is unknown or the run completed', () => {
    expect(runSummaryText(summary, 435)).not.toContain('not read');
    expect(runSummaryText(summary)).not.toContain('not read');
    expect(runSummaryText({ ...summary, state: 'completed' }, 20_000)).not.toContain('not read');
  });
});
