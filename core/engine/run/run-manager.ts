import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { RunSummary } from '../../contract/runs';
import { readJournal } from '../journal/journal';
import { countOutcomes } from '../journal/accounting';
import {
  defaultOrgLimiterOptions,
  OrgLimiter,
  type OrgLimiterOptions,
} from '../throttle/org-limiter';
import type { RunSession } from './run-session';
import { RUN_FILES, writeFileAtomic } from './run-files';
import { RunMeta } from './run-meta';

export { RunMeta } from './run-meta';

/**
 * Starts, tracks and lists runs in a runs folder (one sub-folder per run), and hands every run
 * on the same org the same limiter (docs/ARCHITECTURE.md, The throttle). The desktop app and the
 * CLI both use it.
 */
export class RunManager {
  private readonly limiters = new Map<string, { limiter: OrgLimiter; maxConcurrency: number }>();
  private readonly active = new Map<string, RunSession>();

  constructor(readonly runsDir: string) {
    mkdirSync(runsDir, { recursive: true });
  }

  /** A new sortable run id, e.g. `20261129-101500-a1b2`. */
  newRunId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
  }

  /** The folder of a run given its id, or a path to the folder itself. */
  runDir(runIdOrPath: string): string {
    if (isAbsolute(runIdOrPath) || runIdOrPath.includes('/') || runIdOrPath.includes('\\')) {
      return resolve(runIdOrPath);
    }
    return join(this.runsDir, runIdOrPath);
  }

  /** Writes `run.json` (creating the folder). */
  writeMeta(meta: RunMeta): string {
    const dir = this.runDir(meta.runId);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, RUN_FILES.meta), `${JSON.stringify(meta, null, 2)}\n`);
    return dir;
  }

  /** Reads `run.json`; throws a readable error when the folder is not a run. */
  readMeta(runIdOrPath: string): RunMeta {
    const path = join(this.runDir(runIdOrPath), RUN_FILES.meta);
    if (!existsSync(path)) {
      throw new Error(`No run "${runIdOrPath}" (looked for ${path}). List runs with: sluice runs`);
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new Error(`${path} is not JSON: the run folder is damaged.`);
    }
    const parsed = RunMeta.safeParse(json);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new Error(
        `${path} is not a run description (${problem?.path.join('.') || 'file'}: ${problem?.message ?? 'invalid'}).`,
      );
    }
    return parsed.data;
  }

  /** The summary of a run: `summary.json`, or rebuilt from the journal if the process died. */
  readSummary(runIdOrPath: string): RunSummary | undefined {
    const dir = this.runDir(runIdOrPath);
    const path = join(dir, RUN_FILES.summary);
    if (!existsSync(path)) return undefined;
    const parsed = RunSummary.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) return undefined;
    const summary = parsed.data;
    if (summary.state === 'running' && !this.active.has(summary.runId)) {
      return {
        ...summary,
        ...countOutcomes(readJournal(dir).outcomes),
        state: 'paused',
        stateReason: 'The process ended during the run (crash or kill); resume it to continue.',
      };
    }
    return summary;
  }

  /** Every run in the folder, newest first. */
  list(): RunSummary[] {
    const summaries: RunSummary[] = [];
    for (const entry of readdirSync(this.runsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const summary = this.readSummary(entry.name);
      if (summary) summaries.push(summary);
    }
    return summaries.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /**
   * The shared limiter of an org. The first run on the org creates it with `options` (its
   * headroom); that first run's options win for as long as this manager lives, because one
   * org has one pace: a later run with another headroom shares the pace already set. The
   * throttle offers no way to change a live limiter's headroom.
   */
  limiterFor(orgKey: string, options: Partial<OrgLimiterOptions> = {}): OrgLimiter {
    let entry = this.limiters.get(orgKey);
    if (!entry) {
      entry = {
        limiter: new OrgLimiter(options),
        maxConcurrency: options.maxConcurrency ?? defaultOrgLimiterOptions.maxConcurrency,
      };
      this.limiters.set(orgKey, entry);
    }
    return entry.limiter;
  }

  /** How many requests the org's limiter lets fly at most (a run needs no more workers). */
  maxConcurrencyOf(orgKey: string): number {
    return this.limiters.get(orgKey)?.maxConcurrency ?? defaultOrgLimiterOptions.maxConcurrency;
  }

  /**
   * Registers a run started in this process: the one registry of live runs. A run leaves it
   * when it finishes in any state but paused (a paused run can be resumed in place).
   */
  track<T extends RunSession>(run: T, runId: string): T {
    this.active.set(runId, run);
    run.on((event) => {
      if (event.type === 'finished' && event.summary.state !== 'paused') this.active.delete(runId);
    });
    return run;
  }

  /** A run started in this process and not yet finished (or paused), if any. */
  live(runId: string): RunSession | undefined {
    return this.active.get(runId);
  }

  /** Forgets a live run whose session crashed (it never emitted `finished`). */
  forget(runId: string): void {
    this.active.delete(runId);
  }
}
