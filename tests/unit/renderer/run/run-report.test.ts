import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../core/contract';
import { runReportHtml } from '../../../../renderer/src/features/run/run-report';

const summary: RunSummary = {
  runId: '20261130-1',
  orgName: 'Acme <EU>',
  contactListId: 'list-1',
  strategy: 'contacts',
  state: 'completed',
  startedAt: '2026-11-30T20:00:00.000Z',
  updatedAt: '2026-11-30T20:01:00.000Z',
  elapsedMs: 60_000,
  rowsRead: 10,
  uploaded: 7,
  rejected: 2,
  failed: 1,
  skipped: 0,
  requests: 3,
  throttled: 1,
  retries: 1,
  contactsPerSecond: 0.1,
  invariant: { holds: true, problems: [] },
  runDir: '/tmp/runs/20261130-1',
};

describe('run report', () => {
  it('is one self-contained page: settings, accounting, failures grouped by reason, escaped', () => {
    const html = runReportHtml({
      summary,
      facts: {
        runId: summary.runId,
        csvFileName: 'export.csv',
        contactListName: 'Webinar',
        batchSize: 500,
      },
      points: [],
      failed: [{ row: 4, reason: 'Rate limit outlasted the retry budget', status: 429 }],
      rejected: [
        { row: 2, reason: "Row 2: Phone 'call me' is not a valid number for US", status: 0 },
        { row: 9, reason: "Row 9: Phone 'n/a' is not a valid number for US", status: 0 },
      ],
    });
    expect(html).toContain('10 rows read = 7 uploaded + 2 rejected + 1 failed + 0 skipped');
    expect(html).toContain('every row accounted for');
    expect(html).toContain('Acme &#60;EU&#62;');
    expect(html).not.toContain('Acme <EU>');
    expect(html).toContain('export.csv');
    expect(html).toMatch(/local · Phone &#39;…&#39; is not a valid number for US<\/td><td>2</);
    expect(html).toMatch(/HTTP 429 · Rate limit outlasted the retry budget<\/td><td>1</);
    expect(html).not.toMatch(/<script|<link|src=/i);
  });

  it('says what a cancelled run never sent (read before the cancel, never read) and how to send it', () => {
    const cancelled = { ...summary, state: 'cancelled' as const, rowsRead: 435, uploaded: 132 };
    const html = runReportHtml({
      summary: { ...cancelled, rejected: 2, failed: 301, notSent: 300 },
      facts: { runId: summary.runId, fileRows: 20_000 },
      points: [],
      failed: [],
      rejected: [],
    });
    expect(html).toContain(
      '<strong>19,865 rows this run never sent</strong>: 300 read before the cancel and 19,565 never read. “Upload the rest”',
    );
    expect(html).toContain('1 failed row is not part of it');
    // A completed run, or a count not known with nothing read left unsent, says nothing of it.
    const completed = runReportHtml({
      summary,
      facts: { runId: summary.runId, fileRows: 20_000 },
      points: [],
      failed: [],
      rejected: [],
    });
    expect(completed).not.toContain('never sent');
    expect(completed).not.toContain('never read');
    const unknown = runReportHtml({ summary: cancelled, points: [], failed: [], rejected: [] });
    expect(unknown).not.toContain('never read');
  });

  it('says "1 row read" for a one-row run', () => {
    const html = runReportHtml({
      summary: { ...summary, rowsRead: 1, uploaded: 1, rejected: 0, failed: 0, requests: 1 },
      points: [],
      failed: [],
      rejected: [],
    });
    expect(html).toContain('1 row read = 1 uploaded + 0 rejected + 0 failed + 0 skipped');
    expect(html).not.toContain('1 rows');
  });
});
