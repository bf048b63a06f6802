import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsPoint } from './use-run-monitor';

/** Rows per second and requests-per-second pacing over time, with the 429 count, live (uPlot). */
export function ThroughputChart({ points }: { points: MetricsPoint[] }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    if (!container.current) return;
    const styles = getComputedStyle(document.documentElement);
    const color = (name: string) => styles.getPropertyValue(name).trim() || '#888';
    chart.current = new uPlot(
      {
        width: Math.min(container.current.clientWidth || 720, 960),
        height: 220,
        scales: { x: { time: false } },
        axes: [
          { label: 'seconds', stroke: color('--muted') },
          { label: 'rows/s', stroke: color('--muted') },
          {
            scale: 'req',
            side: 1,
            label: 'req/s · 429s',
            stroke: color('--muted'),
            grid: { show: false },
          },
        ],
        series: [
          {},
          { label: 'rows/s', stroke: color('--accent'), width: 2 },
          { label: 'pacing req/s', stroke: color('--ok'), scale: 'req' },
          { label: '429s (total)', stroke: color('--bad'), scale: 'req' },
        ],
      },
      [[], [], [], []],
      container.current,
    );
    return () => chart.current?.destroy();
  }, []);

  useEffect(() => {
    chart.current?.setData([
      points.map((point) => point.seconds),
      points.map((point) => point.rowsPerSecond),
      points.map((point) => point.pacingRatePerSecond),
      points.map((point) => point.throttled),
    ]);
  }, [points]);

  return (
    <div
      ref={container}
      className="chart"
      role="img"
      aria-label="Throughput, pacing and 429s over time"
    />
  );
}
