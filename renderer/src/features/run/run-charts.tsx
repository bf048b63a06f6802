import { useMemo } from 'react';
import type { RunMetrics } from '../../../../core/contract';
import { chartSeries } from './chart-series';
import { LiveChart, type SeriesSpec } from './live-chart';

/** What sets one run chart apart from the others; the rest (data, backoff shading) is shared. */
interface RunChartSpec {
  /** Which columns of the chart data it draws; also names its test id (`chart-<key>`). */
  key: 'contacts' | 'requests' | 'pacing' | 'latency';
  title: string;
  unit: string;
  series: SeriesSpec[];
  /** Fill between two series (1-based), as LiveChart's `band`. */
  band?: [number, number];
}

const RUN_CHARTS: readonly RunChartSpec[] = [
  {
    key: 'contacts',
    title: 'Contacts per second',
    unit: 'contacts/s',
    series: [
      { label: 'contacts/s', color: '--accent' },
      { label: 'believed ceiling', color: '--muted', dash: true },
    ],
  },
  {
    key: 'requests',
    title: 'Requests per second by outcome',
    unit: 'requests/s',
    // Stacked areas, top of the stack first (chart-series.ts sums them in this order).
    series: [
      { label: 'network', color: '#8e44ad', fill: true },
      { label: '5xx', color: '#e67e22', fill: true },
      { label: '429', color: '--bad', fill: true },
      { label: 'ok', color: '--ok', fill: true },
    ],
  },
  {
    key: 'pacing',
    title: 'Pacing against the limits',
    unit: 'requests/s',
    // The band between the reported limit and what headroom leaves of it.
    band: [2, 3],
    series: [
      { label: 'pacing', color: '--accent' },
      { label: 'reported limit', color: '--muted', dash: true },
      { label: 'after headroom', color: '--ok', dash: true },
      { label: 'learned limit', color: '--bad', dash: true },
    ],
  },
  {
    key: 'latency',
    title: 'Latency',
    unit: 'ms',
    series: [
      { label: 'p50', color: '--accent' },
      { label: 'p95', color: '#e67e22' },
    ],
  },
];

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
      {RUN_CHARTS.map((chart) => (
        <LiveChart
          key={chart.key}
          title={chart.title}
          unit={chart.unit}
          testId={`chart-${chart.key}`}
          data={data[chart.key]}
          backoffs={data.backoffs}
          series={chart.series}
          band={chart.band}
        />
      ))}
    </div>
  );
}
