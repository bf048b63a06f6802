import { mkdirSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { RunSummary } from '../../contract/runs';
import {
  defaultOrgLimiterOptions,
  OrgLimiter,
  type OrgLimiterOptions,
} from '../throttle/org-limiter';
import type { RunSession } from './session-types';
import { RunFolder } from './run-folder';
import type { RunLock } from './run-lock';
import { RunTrash } from './run-trash';
import type { RunMeta } from './run-meta';

export type { RunMeta } from './run-meta';

/**
 * Starts, tracks and lists runs in a runs folder (one sub-folder per run), and hands every run
 * on the same org the same limiter (docs/ARCHITECTURE.md, The throttle). The desktop app and the
 * CLI both use it.
 */
export class RunManager {
  private readonly limiters = new Map<string, { limiter: OrgLimiter; maxConcurrency: number }>();
  private readonly active = new Map<string, RunSession>();
  private readonly locks = new Map<string, RunLock>();

  /** Where removed runs wait before they are deleted for good. */
  readonly trash: RunTrash;

  constructor(readonly runsDir: string) {
    mkdirSync(runsDir, { recursive: true });
    this.trash = new RunTrash(runsDir);
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

  /** The folder of a run (by id or path): its files, meta, summary and journal. */
  folder(runIdOrPath: string): RunFolder {
    return new RunFolder(this.runDir(runIdOrPath), runIdOrPath);
  }

  /** Writes `run.json` (creating the folder). */
  writeMeta(meta: RunMeta): string {
    const folder = this.folder(meta.runId);
    folder.writeMeta(meta);
    return folder.dir;
  }

  /** Reads `run.json`; throws a readable `RunFolderError` when the folder is not a run. */
  readMeta(runIdOrPath: string): RunMeta {
    return this.folder(runIdOrPath).readMeta();
  }

  /** The summary of a run: `summary.json`, or rebuilt from the journal if the process died. */
  readSummary(runIdOrPath: string): RunSummary | undefined {
    const folder = this.folder(runIdOrPath);
    const summary = folder.readSummary(true);
    if (!summary || summary.state !== 'running' || this.active.has(summary.runId)) return summary;
    return folder.readSummary(false);
  }

  /** Every run in the folder, newest first. */
  list(): RunSummary[] {
    const summaries: RunSummary[] = [];
    for (const entry of readdirSync(this.runsDir, { withFileTypes: true })) {
      // `.trash` (removed runs) and any other hidden folder is not a run
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
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
      if (event.type === 'finished' && event.summary.state !== 'paused') this.forget(runId);
    });
    return run;
  }

  /**
   * Takes the run folder's lock for a session about to open (before its journal is opened):
   * throws `RunLockedError` (code `conflict`) when another process, or another session here,
   * is running it. Kept while the run is live here, paused included (it can resume in place);
   * given back when it leaves the registry, or at the latest when the process exits.
   */
  claim(runId: string): void {
    if (this.locks.has(runId)) return;
    this.locks.set(runId, this.folder(runId).lock());
  }

  /** Gives back a run folder's lock taken by `claim` (a session that did not open). */
  release(runId: string): void {
    this.locks.get(runId)?.release();
    this.locks.delete(runId);
  }

  /** A run started in this process and not yet finished (or paused), if any. */
  live(runId: string): RunSession | undefined {
    return this.active.get(runId);
  }

  /** Forgets a run that left: finished, or its session crashed (it never emitted `finished`). */
  forget(runId: string): void {
    this.active.delete(runId);
    this.release(runId);
  }
}
