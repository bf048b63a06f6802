import type { RunMetrics, RunSummary } from '../../../../core/contract';
import { countOf } from '../../../../core/text/count';

const perMinute = (perSecond: number) => `${Math.round(perSecond * 60).toLocaleString()}/min`;

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** 429s answered in roughly the last `windowMs` of the trace. */
function recent429s(points: readonly RunMetrics[], windowMs: number): number {
  const latest = points.at(-1);
  if (!latest) return 0;
  const before = [...points]
    .reverse()
    .find((point) => latest.elapsedMs - point.elapsedMs >= windowMs);
  return latest.throttled - (before?.throttled ?? points[0]!.throttled);
}

/**
 * One plain sentence: what the throttle is doing and why. The engine's own sentence wins when it
 * sends one; otherwise it is read off the numbers the run reports today.
 */
export function explainThrottle(
  state: RunSummary['state'] | undefined,
  points: readonly RunMetrics[],
): string | undefined {
  const latest = points.at(-1);
  if (state === 'paused') return 'Paused: nothing is sent until you resume.';
  if (state === 'pausing') return 'Pausing: letting the requests in flight finish.';
  if (!latest || state !== 'running') return undefined;
  if (latest.why) return latest.why;

  const parts: string[] = [];
  const reported = perSecond(latest.reportedLimitPerMinute);
  const learned = perSecond(latest.learnedLimitPerMinute);
  if (reported !== undefined && learned !== undefined && learned < reported) {
    parts.push(
      `Genesys reports ${perMinute(reported)} for this client, but a tighter limit of about ${perMinute(learned)} binds`,
    );
  }
  if (latest.currentBackoffMs > 0) {
    const retryAfter = latest.backoff?.retryAfterMs;
    const waited = latest.backoff?.waitMs ?? latest.currentBackoffMs;
    parts.push(
      retryAfter !== undefined && Math.abs(retryAfter - waited) >= 500
        ? `Genesys answered 429; Retry-After said ${duration(retryAfter)}, waiting ${duration(waited)}`
        : `Genesys answered 429 (too many requests): waiting ${duration(latest.currentBackoffMs)} before sending again`,
    );
  } else {
    const throttled = recent429s(points, 10_000);
    const pacing = `pacing ${perMinute(latest.pacingRatePerSecond)}`;
    if (throttled > 0) {
      parts.push(
        `${countOf(throttled, 'request')} drew a 429 in the last 10 s, so it slowed down: ${pacing}`,
      );
    } else if (latest.inFlight === 0 && latest.rowsPerSecond === 0 && latest.pending > 0) {
      parts.push(`Nothing in flight: waiting for the pacing budget (${pacing})`);
    } else if (reported !== undefined) {
      const below = Math.max(0, Math.round((1 - latest.pacingRatePerSecond / reported) * 100));
      parts.push(
        `Sending without 429s: ${pacing}, ${below}% below the reported ${perMinute(reported)}`,
      );
    } else if (latest.throttled === 0) {
      parts.push(`Sending without 429s: ${pacing}, raising the pace while Genesys keeps answering`);
    } else {
      parts.push(`Sending again after ${latest.throttled.toLocaleString()} 429s: ${pacing}`);
    }
  }
  return `${parts.join('; ')}.`;
}

/** A per-minute limit from the metrics as requests per second (undefined stays undefined). */
export function perSecond(perMinuteValue: number | undefined): number | undefined {
  return perMinuteValue === undefined ? undefined : perMinuteValue / 60;
}
