import { describe, expect, it } from 'vitest';
import { MachineStalls } from './machine-stalls';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const OPTIONS = { perSecond: 1, meanMs: 15, maxMs: 120 };

describe('MachineStalls', () => {
  it('runs what falls in a stall at its end, in order, and everything else on time', () => {
    const stalls = new MachineStalls(OPTIONS, seeded(3));
    let delayed = 0;
    let previous = -Infinity;
    const problems: string[] = [];
    for (let atMs = 0; atMs < 60_000; atMs += 1) {
      const runsAt = stalls.runsAt(atMs);
      if (runsAt < atMs || runsAt - atMs > OPTIONS.maxMs) problems.push(`${atMs} -> ${runsAt}`);
      if (runsAt < previous) problems.push(`${atMs} reordered`); // a stall never reorders
      previous = runsAt;
      if (runsAt > atMs) delayed += 1;
    }
    expect(problems).toEqual([]);
    // about one 15 ms stall a second: some 1.5% of instants fall in one
    expect(delayed / 60_000).toBeGreaterThan(0.005);
    expect(delayed / 60_000).toBeLessThan(0.04);
  });

  it('draws the same stalls from the same seed, asked in any order', () => {
    const forward = new MachineStalls(OPTIONS, seeded(9));
    const backward = new MachineStalls(OPTIONS, seeded(9));
    const times = Array.from({ length: 2000 }, (_, i) => i * 7.5);
    const ahead = times.map((t) => forward.runsAt(t));
    backward.runsAt(20_000);
    const behind = [...times].reverse().map((t) => backward.runsAt(t));
    expect(behind.reverse()).toEqual(ahead);
    expect(ahead.some((t, i) => t > (times[i] ?? 0))).toBe(true);
  });
});
