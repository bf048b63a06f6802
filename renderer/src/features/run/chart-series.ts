import type { RunMetrics } from '../../../../core/contract';
import { perSecond as limitPerSecond } from './why-sentence';

/** Columns for uPlot: x (seconds) first, then one array per series; null = no value. */
export type Columns = Array<Array<number | null>>;

/** The chart data derived from a run's trace: rates from counter deltas, limits when known. */
export interface ChartSeries {
  seconds: number[];
  contacts: Columns;
  requests: Columns;
  pacing: Columns;
  latency: Columns;
  /** Time ranges (seconds) during which the run was waiting out a 429. */
  backoffs: Array<[number, number]>;
}

const perSecond = (delta: number, seconds: number) =>
  seconds > 0 ? Math.max(0, delta) / seconds : 0;

/**
 * Turns ticks into chart columns. Requests by outcome are stacked (each series is the sum of
 * itself and those below it) so their fills read as a stacked area: ok, then 429, 5xx, network.
 */
export function chartSeries(
  points: readonly RunMetrics[],
  batchSize: number | undefined,
): ChartSeries {
  const seconds = points.map((point) => point.elapsedMs / 1000);
  const ok: number[] = [];
  const throttled: number[] = [];
  const server: number[] = [];
  const network: number[] = [];
  const backoffs: Array<[number, number]> = [];
  let backoffStart: number | undefined;
  points.forEach((point, index) => {
    const previous = points[index - 1];
    const dt = previous ? (point.elapsedMs - previous.elapsedMs) / 1000 : 0;
    ok.push(previous ? perSecond(point.ok - previous.ok, dt) : 0);
    throttled.push(previous ? perSecond(point.throttled - previous.throttled, dt) : 0);
    server.push(previous ? perSecond(point.serverErrors - previous.serverErrors, dt) : 0);
    network.push(previous ? perSecond(point.networkErrors - previous.networkErrors, dt) : 0);
    const x = seconds[index]!;
    if (point.currentBackoffMs > 0 && backoffStart === undefined)
      backoffStart = previous ? seconds[index - 1]! : x;
    if (point.currentBackoffMs <= 0 && backoffStart !== undefined) {
      backoffs.push([backoffStart, x]);
      backoffStart = undefined;
    }
  });
  if (backoffStart !== undefined) backoffs.push([backoffStart, seconds.at(-1)!]);

  const stackOk = ok;
  const stack429 = ok.map((value, index) => value + throttled[index]!);
  const stack5xx = stack429.map((value, index) => value + server[index]!);
  const stackNetwork = stack5xx.map((value, index) => value + network[index]!);

  const rowsPerRequest = (point: RunMetrics) =>
    batchSize ??
    (point.requestsPerSecond > 0 ? point.rowsPerSecond / point.requestsPerSecond : null);
  const ceiling = points.map((point) => {
    const perRequest = rowsPerRequest(point);
    return perRequest === null ? null : point.pacingRatePerSecond * perRequest;
  });
  // The engine reports limits per minute; the pacing chart is in requests per second.
  const reported = points.map((point) => limitPerSecond(point.reportedLimitPerMinute) ?? null);
  const usable = points.map((point) => {
    const limit = limitPerSecond(point.reportedLimitPerMinute);
    return limit === undefined || point.headroom === undefined
      ? null
      : limit * (1 - point.headroom);
  });
  const learned = points.map((point) => limitPerSecond(point.learnedLimitPerMinute) ?? null);

  return {
    seconds,
    contacts: [seconds, points.map((point) => point.rowsPerSecond), ceiling],
    requests: [seconds, stackNetwork, stack5xx, stack429, stackOk],
    pacing: [seconds, points.map((point) => point.pacingRatePerSecond), reported, usable, learned],
    latency: [
      seconds,
      points.map((point) => point.latencyP50Ms),
      points.map((point) => point.latencyP95Ms),
    ],
    backoffs,
  };
}
