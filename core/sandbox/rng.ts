/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same faults and
 * latencies, so a failing run can be replayed. Returns numbers in [0, 1).
 */
export type Random = () => number;

/** Creates a seeded generator; any integer seed works (it is folded to 32 bits). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
