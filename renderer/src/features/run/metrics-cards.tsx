import type { RunMetrics } from '../../../../core/contract';

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** The live numbers of a run, grouped the way a consultant reads them. */
export function MetricsCards({ metrics, etaMs }: { metrics: RunMetrics; etaMs?: number }) {
  const cards: Array<[string, string, string?, string?]> = [
    ['Rows/s', metrics.rowsPerSecond.toFixed(0)],
    ['Requests/s', metrics.requestsPerSecond.toFixed(1)],
    ['Pacing', `${metrics.pacingRatePerSecond.toFixed(2)} req/s`],
    ['In flight', `${metrics.inFlight} of ${metrics.concurrency}`],
    ['429s', metrics.throttled.toLocaleString(), metrics.throttled > 0 ? 'warn' : undefined],
    [
      'Backoff',
      metrics.currentBackoffMs > 0 ? seconds(metrics.currentBackoffMs) : '—',
      metrics.currentBackoffMs > 0 ? 'warn' : undefined,
    ],
    ['5xx', metrics.serverErrors.toLocaleString(), metrics.serverErrors > 0 ? 'warn' : undefined],
    [
      'Network errors',
      metrics.networkErrors.toLocaleString(),
      metrics.networkErrors > 0 ? 'warn' : undefined,
    ],
    ['Retries', metrics.retries.toLocaleString()],
    [
      'Latency p50 / p95',
      `${Math.round(metrics.latencyP50Ms)} / ${Math.round(metrics.latencyP95Ms)} ms`,
    ],
    [
      'Budget used',
      metrics.budgetUsed === undefined ? '—' : `${Math.round(metrics.budgetUsed * 100)}%`,
      undefined,
      'Share of the current rate-limit window already used, from the inin-ratelimit-count and inin-ratelimit-allowed headers of the latest response.',
    ],
    ['Time left', etaMs === undefined ? '—' : seconds(etaMs)],
  ];
  return (
    <dl className="metrics" data-testid="run-metrics">
      {cards.map(([label, value, tone, hint]) => (
        <div key={label} className={`metric ${tone ?? ''}`} title={hint}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
