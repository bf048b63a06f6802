import type { SettledRowShape, SluiceApi } from '../../../../core/contract';
import { runReportHtml } from './run-report';

async function allRows(api: SluiceApi, runId: string, outcome: 'failed' | 'rejected') {
  const rows: SettledRowShape[] = [];
  for (;;) {
    const page = await api.invoke('runs:rows', {
      runId,
      outcome,
      offset: rows.length,
      limit: 1000,
    });
    rows.push(...page.rows);
    if (page.rows.length === 0 || rows.length >= page.total) return rows;
  }
}

/** Builds a run's report and hands it to the browser (or Electron) as a download. */
export async function saveRunReport(api: SluiceApi, runId: string): Promise<string> {
  const [found, trace, facts, failed, rejected] = await Promise.all([
    api.invoke('runs:get', { runId }),
    api.invoke('runs:trace', { runId }),
    api.invoke('runs:facts', { runIds: [runId] }),
    allRows(api, runId, 'failed'),
    allRows(api, runId, 'rejected'),
  ]);
  const html = runReportHtml({
    summary: found.summary,
    ...(facts[0] ? { facts: facts[0] } : {}),
    points: trace.metrics,
    failed,
    rejected,
  });
  const name = `sluice-run-${runId}.html`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return name;
}
