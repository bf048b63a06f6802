/** Keeps the last `capacity` samples (milliseconds) and answers percentiles over them. */
export class LatencyWindow {
  /** The kept samples in arrival order (a ring once full). */
  private readonly samples: number[] = [];
  /**
   * The same samples in ascending order, kept sorted as they come and go: the limiter asks for
   * the 95th percentile on every look at its gates (about three per request) and a sample
   * arrives with every answer, so sorting a copy on the first ask after each sample sorted
   * `capacity` numbers per request.
   */
  private readonly sorted: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 200) {}

  /** Adds one sample. */
  add(valueMs: number): void {
    if (this.samples.length < this.capacity) this.samples.push(valueMs);
    else {
      const evicted = this.samples[this.next] as number;
      this.samples[this.next] = valueMs;
      this.sorted.splice(firstAtLeast(this.sorted, evicted), 1);
    }
    this.next = (this.next + 1) % this.capacity;
    this.sorted.splice(firstAbove(this.sorted, valueMs), 0, valueMs);
  }

  /** The p-th percentile (0..100) of the kept samples; 0 when there are none. */
  percentile(p: number): number {
    const { sorted } = this;
    if (sorted.length === 0) return 0;
    const index = Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    );
    return sorted[index] ?? 0;
  }
}

/** Index of the first value >= `value` in an ascending array. */
function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first value > `value` in an ascending array. */
function firstAbove(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
