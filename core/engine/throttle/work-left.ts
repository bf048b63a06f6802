/** One run's entry in `WorkLeft`: its count of requests still to send, kept current by the run. */
export interface RunWork {
  /** The requests this run still has to send (a batch sent again counts until it settles). */
  update(requests: number): void;
  /** The run ended or paused: its requests no longer count. */
  withdraw(): void;
}

/**
 * The requests the runs sharing one org's limiter still have to send (docs/ARCHITECTURE.md,
 * "Probes priced by the work left"): several runs may share the limiter (`RunManager.limiterFor`),
 * so each registers its own count, updates it as it goes and withdraws it when it ends or
 * pauses, and the limiter reads the sum. With nothing registered the work left is unknown, and
 * the throttle prices its probes as it did without it.
 */
export class WorkLeft {
  private readonly counts = new Map<number, number>();
  private nextId = 0;

  /** Registers a run with `requests` still to send. */
  register(requests: number): RunWork {
    const id = this.nextId++;
    this.counts.set(id, Math.max(0, requests));
    return {
      update: (left) => {
        if (this.counts.has(id)) this.counts.set(id, Math.max(0, left));
      },
      withdraw: () => {
        this.counts.delete(id);
      },
    };
  }

  /** The requests every registered run still has to send, summed; undefined when none is registered. */
  get requests(): number | undefined {
    if (this.counts.size === 0) return undefined;
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }
}
