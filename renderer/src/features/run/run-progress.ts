import type { RunMetrics } from '../../../../core/contract';

/** Rows settled per second over the last `windowMs` of the trace (0 when unknown). */
export function settledRate(points: readonly RunMetrics[], windowMs = 20_000): number {
  const latest = points.at(-1);
  if (!latest) return 0;
  const first = points.find((point) => latest.elapsedMs - point.elapsedMs <= windowMs) ?? latest;
  const seconds = (latest.elapsedMs - first.elapsedMs) / 1000;
  const settled = (point: RunMetrics) =>
    point.uploaded + point.rejected + point.failed + point.skipped;
  return seconds > 0 ? Math.max(0, settled(latest) - settled(first)) / seconds : 0;
}

/** Time left at the measured rate, or the engine's estimate when the file size is unknown. */
export function etaMs(
  points: readonly RunMetrics[],
  totalRows: number | undefined,
): number | undefined {
  const latest = points.at(-1);
  if (!latest) return undefined;
  if (totalRows === undefined) return latest.etaMs;
  const settled = latest.uploaded + latest.rejected + latest.failed + latest.skipped;
  const rate = settledRate(points);
  return rate > 0 ? (Math.max(0, totalRows - settled) / rate) * 1000 : undefined;
}

/** "3 min 20 s", "45 s", "1 h 5 min" */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
