// No electron import: the decision is plain logic, unit tested in Node; main.ts wires it.

/** How many times the window is reloaded after its renderer is gone, within `RELOAD_WINDOW_MS`. */
export const MAX_RELOADS = 3;
/** The span over which reloads are counted (ms): a fourth loss within it is a crash loop. */
export const RELOAD_WINDOW_MS = 60_000;

/** What to do when the window's renderer process is gone. */
export type RendererGoneAction =
  /** It exited cleanly (the window closing): nothing to recover. */
  | 'ignore'
  /** Load the window's content again: the form and run views restore themselves. */
  | 'reload'
  /** It keeps dying: stop reloading and tell the person what happened and where the log is. */
  | 'give-up';

/**
 * Decides, for each loss of the window's renderer, whether to reload it, with a guard against a
 * crash loop: at most `maxReloads` reloads within `windowMs`, then `give-up` (until `reset`, when
 * the person asks for a reload themselves). `reason` is Electron's `render-process-gone` reason
 * (`crashed`, `oom`, `killed`, `clean-exit`, …). `nowMs` is injectable for tests.
 */
export class RendererRecovery {
  private reloadsAtMs: number[] = [];

  constructor(
    private readonly options: {
      maxReloads?: number;
      windowMs?: number;
      nowMs?: () => number;
    } = {},
  ) {}

  /** The action for a renderer gone for `reason`; a `reload` answer is counted. */
  onGone(reason: string): RendererGoneAction {
    if (reason === 'clean-exit') return 'ignore';
    const now = (this.options.nowMs ?? Date.now)();
    const windowMs = this.options.windowMs ?? RELOAD_WINDOW_MS;
    this.reloadsAtMs = this.reloadsAtMs.filter((at) => now - at < windowMs);
    if (this.reloadsAtMs.length >= (this.options.maxReloads ?? MAX_RELOADS)) return 'give-up';
    this.reloadsAtMs.push(now);
    return 'reload';
  }

  /** Forgets the reloads counted so far (the person chose to reload after a give-up). */
  reset(): void {
    this.reloadsAtMs = [];
  }
}

/** The message shown when reloading is given up, with the log folder to look in. */
export function rendererGoneMessage(
  reason: string,
  logsFolder: string,
): { message: string; detail: string } {
  return {
    message: 'The Sluice window keeps stopping',
    detail:
      `Its process stopped (${reason}) ${MAX_RELOADS + 1} times within a minute, so Sluice stopped reloading it. ` +
      'Uploads in progress go on in the background and their progress is saved. ' +
      `The log is in ${logsFolder} (Help → Open logs folder; Help → Copy diagnostics for support). ` +
      'Reload to try again, or quit Sluice.',
  };
}
