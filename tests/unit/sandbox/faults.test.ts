import { describe, expect, it } from 'vitest';
import { drawFault, drawLatencyMs } from '../../../core/sandbox/faults';
import { createRandom } from '../../../core/sandbox/rng';
import { buildConfig } from '../../../core/sandbox/scenarios';

describe('seeded faults', () => {
  it('the same seed replays the same faults and latencies', () => {
    const faults = buildConfig('flaky').faults;
    const run = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 300 }, () => [
        drawFault(faults, 'GET /x', random).kind,
        drawLatencyMs(faults, random),
      ]);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('draws each fault at roughly its configured rate', () => {
    const faults = { ...buildConfig('demo').faults, status503: 0.2, commitThenDrop: 0.1 };
    const random = createRandom(42);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i += 1) {
      const fault = drawFault(faults, 'GET /x', random);
      const key = fault.kind === 'status' ? String(fault.status) : fault.kind;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(counts['503']).toBeGreaterThan(1800);
    expect(counts['503']).toBeLessThan(2200);
    expect(counts['commit-then-drop']).toBeGreaterThan(850);
    expect(counts['commit-then-drop']).toBeLessThan(1150);
    expect(counts['500']).toBeUndefined();
  });

  it('limits faults to the configured endpoints and keeps latency in range', () => {
    const faults = {
      ...buildConfig('demo').faults,
      status500: 1,
      endpoints: ['POST /a'],
      latency: { minMs: 10, maxMs: 20, spikeProbability: 0, spikeMs: 0 },
    };
    const random = createRandom(1);
    expect(drawFault(faults, 'GET /b', random).kind).toBe('none');
    expect(drawFault(faults, 'POST /a', random)).toEqual({ kind: 'status', status: 500 });
    for (let i = 0; i < 100; i += 1) {
      const latency = drawLatencyMs(faults, random);
      expect(latency).toBeGreaterThanOrEqual(10);
      expect(latency).toBeLessThanOrEqual(20);
    }
  });
});

describe('latency spikes', () => {
  it('adds spikeMs at roughly spikeProbability (a long tail)', () => {
    const faults = {
      ...buildConfig('demo').faults,
      latency: { minMs: 0, maxMs: 10, spikeProbability: 0.1, spikeMs: 1000 },
    };
    const random = createRandom(3);
    const draws = Array.from({ length: 5000 }, () => drawLatencyMs(faults, random));
    const spikes = draws.filter((latency) => latency >= 1000).length;
    expect(spikes).toBeGreaterThan(400);
    expect(spikes).toBeLessThan(600);
    expect(draws.every((latency) => latency <= 1010)).toBe(true);
  });
});
