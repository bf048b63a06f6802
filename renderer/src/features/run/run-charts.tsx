import { useMemo } from 'react';
import type { RunMetrics } from '../../../../core/contract';
import { chartSeries } from './chart-series';
import { LiveChart } from './live-chart';

/**
 * The four charts that explain the throttle: what got through against the ceiling it believes
 * in, requests by outcome, the pacing rate against the limits, and latency. Shaded bands are the
 * periods spent waiting out a 429.
 */
export function RunCharts({
  points,
  batchSize,
}: {
  points: readonly RunMetrics[];
  batchSize?: number;
}) {
  const data = useMemo(() => chartSeries(points, batchSize), [points, batchSize]);
  return (
    <div className="chart-grid" data-testid="run-charts">
      <LiveChart
        title="Contacts per second"
        unit="contacts/s"
        testId="chart-contacts"
        data={data.contacts}
        backoffs={data.backoffs}
        series={[
          { label: 'contacts/s', color: '--accent' },
          { label: 'believed ceiling', color: '--muted', dash: true },
        ]}
      />
      <LiveChart
        title="Requests per second by outcome"
        unit="requests/s"
        testId="chart-requests"
        data={data.requests}
        backoffs={data.backoffs}
        series={[
          { label: 'network', color: '#8e44ad', fill: true },
          { label: '5xx', color: '#e67e22', fill: true },
          { label: '429', color: '--bad', fill: true },
          { label: 'ok', color: '--ok', fill: true },
        ]}
      />
      <LiveChart
        title="Pacing against the limits"
        unit="requests/s"
        testId="chart-pacing"
        data={data.pacing}
        backoffs={data.backoffs}
        band={[2, 3]}
        series={[
          { label: 'pacing', color: '--accent' },
          { label: 'reported limit', color: '--muted', dash: true },
          { label: 'after headroom', color: '--ok', dash: true },
          { label: 'learned limit', color: '--bad', dash: true },
        ]}
      />
      <LiveChart
        title="Latency"
        unit="ms"
        testId="chart-latency"
        data={data.latency}
        backoffs={data.backoffs}
        series={[
          { label: 'p50', color: '--accent' },
          { label: 'p95', color: '#e67e22' },
        ]}
      />
    </div>
  );
}
