import type { RunState, RunSummary } from '../../contract/runs';
import type { RunEvent } from './run-options';
import type { RunReporter } from './run-reporter';

/**
 * What both strategies' runs show the outside the same way (state, events, summary), through
 * their `RunReporter`. Each strategy adds its own `start`, `cancel` and, for contacts, pause.
 */
export abstract class ReportingRun {
  protected abstract readonly reporter: RunReporter;

  /** Current state. */
  get state(): RunState {
    return this.reporter.state;
  }

  /** Subscribes to run events; returns the unsubscribe function. */
  on(listener: (event: RunEvent) => void): () => void {
    return this.reporter.on(listener);
  }

  /** The current summary (also written to `summary.json` when the run starts and ends). */
  summary(): RunSummary {
    return this.reporter.summary();
  }
}
