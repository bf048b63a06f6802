/** How often a loaded machine's event loop stalls, and for how long. */
export interface StallOptions {
  /** Stalls per second, on average (they start at random, exponentially spaced). */
  perSecond: number;
  /** Mean stall, ms (exponentially distributed, capped at `maxMs`). */
  meanMs: number;
  maxMs: number;
}

/**
 * The event-loop stalls of one process on a loaded machine, seeded: a timer or a request due
 * while the loop is stalled runs when the stall ends, together with everything else that came
 * due meanwhile. That, not an even lateness on every timer, is what a shared 2-core box does to
 * the bench (its Sandbox's event loop: median lateness 0.1 ms, p99 about 6 ms, the worst of a
 * run 70-100 ms): most requests go on time and a few bunch.
 */
export class MachineStalls {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private horizonMs = 0;

  constructor(
    private readonly options: StallOptions,
    private readonly random: () => number,
  ) {}

  /** When something due at `atMs` actually runs, ms: the end of a stall covering it, else `atMs`. */
  runsAt(atMs: number): number {
    while (this.horizonMs <= atMs) this.addStall();
    // the last stall starting at or before atMs (stalls are sorted and never overlap)
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((this.starts[mid] ?? Infinity) <= atMs) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    const endMs = found >= 0 ? (this.ends[found] ?? atMs) : atMs;
    return atMs < endMs ? endMs : atMs;
  }

  private addStall(): void {
    const { perSecond, meanMs, maxMs } = this.options;
    const gapMs = (-Math.log(1 - this.random()) / perSecond) * 1000;
    const lengthMs = Math.min(maxMs, -Math.log(1 - this.random()) * meanMs);
    const startMs = this.horizonMs + gapMs;
    this.starts.push(startMs);
    this.ends.push(startMs + lengthMs);
    this.horizonMs = startMs + lengthMs;
  }
}
