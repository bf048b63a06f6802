/** One run's entry in `WorkLeft`: its count of requests still to send, kept current by the run. */
export interface RunWork {
  /**
   * The requests this run still has to send (a batch sent again counts until it settles);
   * undefined while the run cannot tell.
   */
  update(requests: number | undefined): void;
  /** The run ended or paused: its requests no longer count. */
  withdraw(): void;
}

/**
 * The requests the runs sharing one org's limiter still have to send (docs/ARCHITECTURE.md,
 * "Probes priced by the work left"): several runs may share the limiter (`RunManager.limiterFor`),
 * so each registers its own count, updates it as it goes and withdraws it when it ends or
 * pauses, and the limiter reads the sum. With nothing registered, or while any run registered
 * cannot tell its own count, the work left is unknown (a sum without that run's share would
 * say the work ends sooner than it does), and the throttle prices its probes as it did without it.
 */
export class WorkLeft {
  private readonly counts = new Map<number, number | undefined>();
  private nextId = 0;

  /** Registers a run with `requests` still to send (undefined: it cannot tell yet). */
  register(requests: number | undefined): RunWork {
    const id = this.nextId++;
    this.counts.set(id, atLeastZero(requests));
    return {
      update: (left) => {
        if (this.counts.has(id)) this.counts.set(id, atLeastZero(left));
      },
      withdraw: () => {
        this.counts.delete(id);
      },
    };
  }

  /**
   * The requests every registered run still has to send, summed; undefined when none is
   * registered or one cannot tell.
   */
  get requests(): number | undefined {
    if (this.counts.size === 0) return undefined;
    let sum = 0;
    for (const count of this.counts.values()) {
      if (count === undefined) return undefined;
      sum += count;
    }
    return sum;
  }
}

function atLeastZero(requests: number | undefined): number | undefined {
  return requests === undefined ? undefined : Math.max(0, requests);
}
