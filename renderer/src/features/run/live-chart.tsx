import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Columns } from './chart-series';

/** One series of a live chart. `fill` draws the area under it (stacked charts). */
export interface SeriesSpec {
  label: string;
  /** A CSS custom property of the theme (`--accent`) or a colour. */
  color: string;
  fill?: boolean;
  dash?: boolean;
  scale?: string;
}

function themeColor(name: string): string {
  if (!name.startsWith('--')) return name;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Shades the time ranges in which the run waited out a 429, behind the series. */
function backoffShading(ranges: { current: Array<[number, number]> }): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (chart: uPlot) => {
        const { ctx } = chart;
        const { top, height } = chart.bbox;
        ctx.save();
        ctx.fillStyle = 'rgba(214, 69, 65, 0.14)';
        for (const [from, to] of ranges.current) {
          const left = chart.valToPos(from, 'x', true);
          const right = chart.valToPos(to, 'x', true);
          ctx.fillRect(left, top, Math.max(2, right - left), height);
        }
        ctx.restore();
      },
    },
  };
}

/**
 * A small live uPlot chart that redraws when `data` changes, resizes with its container and
 * exports itself as a PNG (title included) for a report or a ticket.
 */
export function LiveChart({
  title,
  unit,
  series,
  data,
  backoffs,
  band,
  testId,
}: {
  title: string;
  unit: string;
  series: SeriesSpec[];
  data: Columns;
  backoffs: Array<[number, number]>;
  /** Fill between two series (1-based indexes into `series`), e.g. the headroom band. */
  band?: [number, number];
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const ranges = useRef(backoffs);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth || 480),
      height: 180,
      scales: { x: { time: false } },
      // Labels only: live values under a chart that redraws four times a second are noise.
      legend: { live: false },
      axes: [
        { stroke: themeColor('--muted'), label: 'seconds' },
        { stroke: themeColor('--muted'), label: unit, size: 56 },
      ],
      series: [
        {},
        ...series.map((spec) => ({
          label: spec.label,
          stroke: themeColor(spec.color),
          width: spec.fill ? 1 : 2,
          ...(spec.fill ? { fill: `${themeColor(spec.color)}99` } : {}),
          ...(spec.dash ? { dash: [6, 4] } : {}),
          spanGaps: false,
        })),
      ],
      ...(band ? { bands: [{ series: band, fill: 'rgba(120, 160, 220, 0.18)' }] } : {}),
      plugins: [backoffShading(ranges)],
    };
    chart.current = new uPlot(options, data as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => {
      const width = Math.max(280, element.clientWidth);
      if (chart.current && Math.abs(chart.current.width - width) > 4) {
        chart.current.setSize({ width, height: 180 });
      }
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = undefined;
    };
    // The chart is built once; data flows in through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    ranges.current = backoffs;
    chart.current?.setData(data as uPlot.AlignedData);
  }, [data, backoffs]);

  const exportPng = () => {
    const source = chart.current?.ctx.canvas;
    if (!source) return;
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height + 40;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = themeColor('--bg');
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = themeColor('--text');
    ctx.font = '600 20px system-ui, sans-serif';
    ctx.fillText(title, 12, 28);
    ctx.drawImage(source, 0, 40);
    const link = document.createElement('a');
    link.href = canvas.toDataURL('image/png');
    link.download = `${title.replace(/[^\w]+/g, '-').toLowerCase()}.png`;
    link.click();
  };

  return (
    <figure className="chart-card" data-testid={testId}>
      <figcaption>
        <span>{title}</span>
        <button
          type="button"
          className="link-button"
          onClick={exportPng}
          aria-label={`Save “${title}” as PNG`}
        >
          PNG
        </button>
      </figcaption>
      <div ref={container} className="chart" role="img" aria-label={title} />
    </figure>
  );
}
