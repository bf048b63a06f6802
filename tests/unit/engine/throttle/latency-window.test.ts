import { describe, expect, it } from 'vitest';
import { LatencyWindow } from '../../../../core/engine/throttle/latency-window';

/** The percentile the window promises: nearest rank over a sorted copy of the last samples. */
function nearestRank(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

describe('LatencyWindow', () => {
  it('answers 0 before any sample', () => {
    expect(new LatencyWindow().percentile(95)).toBe(0);
  });

  it('answers the nearest-rank percentile of the last `capacity` samples as they come and go', () => {
    const window = new LatencyWindow(7);
    const added: number[] = [];
    let state = 12345;
    for (let i = 0; i < 500; i += 1) {
      state = (state * 1103515245 + 12345) % 2147483648;
      // few distinct values, so evictions and ties meet often
      const valueMs = (state % 9) * 10 + (i % 50 === 0 ? 0.5 : 0);
      window.add(valueMs);
      added.push(valueMs);
      const kept = added.slice(-7);
      for (const p of [0, 1, 50, 95, 100])
        expect(window.percentile(p), `after ${i + 1} samples, p${p}`).toBe(nearestRank(kept, p));
    }
  });

  it('forgets the samples that left the window', () => {
    const window = new LatencyWindow(3);
    for (const valueMs of [900, 800, 700, 10, 20, 30]) window.add(valueMs);
    expect(window.percentile(100)).toBe(30);
    expect(window.percentile(0)).toBe(10);
  });
});
