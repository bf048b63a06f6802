import { ContractError } from '../contract';

/**
 * Long jobs the renderer can cancel by the id it gave them (a preparation, a whole-file check):
 * one running per id, each with the signal its cancel aborts.
 */
export class CancellableJobs {
  private readonly running = new Map<string, AbortController>();

  /** `what` names the job in the refusal of a second one with the same id ("preparation"). */
  constructor(private readonly what: string) {}

  /** Runs `work` as job `jobId`; refuses (`conflict`) an id that is already running. */
  async run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running.has(jobId))
      throw new ContractError('conflict', `A ${this.what} with id ${jobId} is already running.`);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(jobId);
    }
  }

  /** Aborts job `jobId`; says whether one was running. */
  cancel(jobId: string): { cancelled: boolean } {
    const controller = this.running.get(jobId);
    controller?.abort();
    return { cancelled: Boolean(controller) };
  }
}
