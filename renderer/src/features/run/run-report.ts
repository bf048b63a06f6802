import {
  runRest,
  type RunFacts,
  type RunMetrics,
  type RunSummary,
  type SettledRowShape,
} from '../../../../core/contract';
import { accountingOf } from './accounting';
import { chartSeries, type Columns } from './chart-series';
import { formatDuration } from './run-progress';
import { countOf } from '../../../../core/text/count';
import { runRestText } from '../../../../core/text/run-rest-text';

/** Everything a run report shows. */
export interface RunReportInput {
  summary: RunSummary;
  facts?: RunFacts;
  points: readonly RunMetrics[];
  failed: readonly SettledRowShape[];
  rejected: readonly SettledRowShape[];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small inline SVG line chart (no script, no external file). */
function svgChart(title: string, columns: Columns, labels: string[], colors: string[]): string {
  const [xs = [], ...series] = columns;
  if (xs.length < 2) return '';
  const width = 640;
  const height = 180;
  const xMax = Math.max(...(xs as number[]), 1);
  const yMax = Math.max(1, ...series.flat().filter((v): v is number => typeof v === 'number'));
  const path = (values: Array<number | null>) =>
    values
      .map((value, index) =>
        value === null
          ? ''
          : `${(((xs[index] as number) / xMax) * (width - 50) + 45).toFixed(1)},${(height - 20 - (value / yMax) * (height - 40)).toFixed(1)}`,
      )
      .filter(Boolean)
      .join(' ');
  const lines = series
    .map(
      (values, index) =>
        `<polyline fill="none" stroke="${colors[index]}" stroke-width="2" points="${path(values)}"/>`,
    )
    .join('');
  const legend = labels
    .map((label, index) => `<span style="color:${colors[index]}">■</span> ${escape(label)}`)
    .join(' &nbsp; ');
  return `<figure><figcaption>${escape(title)} (max ${yMax.toFixed(1)}, over ${xMax.toFixed(0)} s)</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">
<rect x="45" y="20" width="${width - 50}" height="${height - 40}" fill="none" stroke="#ccc"/>${lines}</svg>
<div>${legend}</div></figure>`;
}

/** Reasons with the row numbers taken out, so rows that failed alike group together. */
function byReason(rows: readonly SettledRowShape[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const reason = row.reason.replace(/^Row [\d,]+: /, '').replace(/'[^']*'/g, "'…'");
    const key = `${row.status === 0 ? 'local' : `HTTP ${row.status}`} · ${reason}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * One self-contained HTML file about a run: settings, accounting, charts (inline SVG) and
 * failures by reason. No scripts and no external resources, so it opens anywhere and can be
 * attached to a ticket.
 */
export function runReportHtml({
  summary,
  facts,
  points,
  failed,
  rejected,
}: RunReportInput): string {
  const accounting = accountingOf(summary, summary.invariant);
  const rest = runRest(summary, facts?.fileRows);
  const restText = rest && runRestText(rest);
  const n = (value: number) => value.toLocaleString();
  const series = chartSeries(points, facts?.batchSize);
  const rows: Array<[string, string]> = [
    ['Run', summary.runId],
    ['Org', summary.orgName],
    ['Contact list', facts?.contactListName ?? summary.contactListId],
    ['File', facts?.csvFileName ?? '—'],
    ['Started', new Date(facts?.createdAt ?? summary.startedAt).toLocaleString()],
    ['Duration', formatDuration(summary.elapsedMs)],
    ['State', summary.state + (summary.stateReason ? ` — ${summary.stateReason}` : '')],
    ['Strategy', summary.strategy],
    ['Contacts per request', facts?.batchSize !== undefined ? n(facts.batchSize) : '—'],
    ['Headroom', facts?.headroomPercent !== undefined ? `${facts.headroomPercent}%` : '—'],
    ['Requests', n(summary.requests)],
    ['429s', n(summary.throttled)],
    ['Retries', n(summary.retries)],
    ['Contacts/s', summary.contactsPerSecond.toFixed(1)],
  ];
  const reasons = byReason([...failed, ...rejected]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sluice run ${escape(summary.runId)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1b1f24}table{border-collapse:collapse}td,th{border:1px solid #d8dde3;padding:4px 8px;text-align:left}figure{margin:16px 0}.bad{color:#c62828}.ok{color:#1a7f37}</style>
</head><body>
<h1>Run report: “${escape(facts?.contactListName ?? summary.contactListId)}” on ${escape(summary.orgName)}</h1>
<h2>Settings</h2><table>${rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('')}</table>
<h2>Accounting</h2>
<p>${countOf(accounting.rowsRead, 'row')} read = ${n(accounting.uploaded)} uploaded + ${n(accounting.rejected)} rejected + ${n(accounting.failed)} failed + ${n(accounting.skipped)} skipped
<strong class="${accounting.mismatch ? 'bad' : 'ok'}">${accounting.mismatch ? 'accounting mismatch' : 'every row accounted for'}</strong></p>
${
  restText
    ? `<p data-testid="report-rest"><strong>${escape(restText.head)}</strong>${restText.detail ? `: ${escape(restText.detail)}` : ''}. “Upload the rest” in the run's view in Sluice sends them, each once; rows already uploaded are not sent again.${restText.leftFailed ? ` ${escape(restText.leftFailed)}` : ''}</p>\n`
    : ''
}${summary.invariant.problems.length > 0 ? `<ul>${summary.invariant.problems.map((p) => `<li>${escape(p)}</li>`).join('')}</ul>` : ''}
<h2>Charts</h2>
${
  points.length < 2
    ? '<p>No live history for this run in this session of the app (charts are kept while the app runs).</p>'
    : [
        svgChart(
          'Contacts per second',
          series.contacts,
          ['contacts/s', 'believed ceiling'],
          ['#0b62d6', '#888'],
        ),
        svgChart(
          'Requests per second (stacked: network, 5xx, 429, ok)',
          series.requests,
          ['network', '5xx', '429', 'ok'],
          ['#8e44ad', '#e67e22', '#c62828', '#1a7f37'],
        ),
        svgChart(
          'Pacing (requests/s)',
          series.pacing,
          ['pacing', 'reported limit', 'after headroom', 'learned limit'],
          ['#0b62d6', '#888', '#1a7f37', '#c62828'],
        ),
        svgChart('Latency (ms)', series.latency, ['p50', 'p95'], ['#0b62d6', '#e67e22']),
      ].join('\n')
}
<h2>Rows that did not upload, by reason</h2>
${
  reasons.length === 0
    ? '<p>None.</p>'
    : `<table><tr><th>Reason</th><th>Rows</th></tr>${reasons.map(([reason, count]) => `<tr><td>${escape(reason)}</td><td>${n(count)}</td></tr>`).join('')}</table>`
}
<p><small>Written by Sluice on ${escape(new Date().toLocaleString())}.</small></p>
</body></html>
`;
}
