/** Keeps the last `capacity` samples (milliseconds) and answers percentiles over them. */
export class LatencyWindow {
  private readonly samples: number[] = [];
  private next = 0;
  private sorted: number[] | undefined;

  constructor(private readonly capacity = 200) {}

  /** Adds one sample. */
  add(valueMs: number): void {
    if (this.samples.length < this.capacity) this.samples.push(valueMs);
    else this.samples[this.next] = valueMs;
    this.next = (this.next + 1) % this.capacity;
    this.sorted = undefined;
  }

  /** The p-th percentile (0..100) of the kept samples; 0 when there are none. */
  percentile(p: number): number {
    if (this.samples.length === 0) return 0;
    // sorted once per new sample: the limiter asks for percentiles far more often than it adds
    const sorted = (this.sorted ??= [...this.samples].sort((a, b) => a - b));
    const index = Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    );
    return sorted[index] ?? 0;
  }
}
