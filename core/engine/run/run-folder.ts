import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunSummary } from '../../contract/runs';
import type { SettledRow } from '../journal/journal-records';
import { SettledJournal } from '../journal/settled-journal';
import { RUN_FILES, writeFileAtomic, writeSummary } from './run-files';
import { RunLock } from './run-lock';
import { RunMeta } from './run-meta';

/** Why a run folder could not be read. */
export type RunFolderErrorCode = 'missing' | 'damaged';

/** A run folder that is absent or unreadable; the message says what to do. */
export class RunFolderError extends Error {
  constructor(
    readonly code: RunFolderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RunFolderError';
  }
}

/**
 * One run's folder as the services and the CLI use it: `run.json` (how it was started),
 * `summary.json`, the journal and the row reports. The one place that knows the files inside;
 * callers never build journal records or recount outcomes. A live run writes its own files
 * through its ledger and reporter; this object is for everything around it.
 */
export class RunFolder {
  constructor(
    readonly dir: string,
    /** How the consultant named the run (id or path), for messages. */
    private readonly label: string,
  ) {}

  /** Writes `run.json` (creating the folder). */
  writeMeta(meta: RunMeta): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(join(this.dir, RUN_FILES.meta), `${JSON.stringify(meta, null, 2)}\n`);
  }

  /** Reads and validates `run.json`; throws `RunFolderError` when the folder is not a run. */
  readMeta(): RunMeta {
    const path = join(this.dir, RUN_FILES.meta);
    if (!existsSync(path)) {
      throw new RunFolderError(
        'missing',
        `No run "${this.label}" (looked for ${path}). List runs with: sluice runs`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new RunFolderError('damaged', `${path} is not JSON: the run folder is damaged.`);
    }
    const parsed = RunMeta.safeParse(json);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new RunFolderError(
        'damaged',
        `${path} is not a run description (${problem?.path.join('.') || 'file'}: ${problem?.message ?? 'invalid'}).`,
      );
    }
    return parsed.data;
  }

  /** `run.json`, or undefined when the folder has none or it is unreadable. */
  metaOrUndefined(): RunMeta | undefined {
    try {
      return this.readMeta();
    } catch {
      return undefined;
    }
  }

  /**
   * The run's summary. A summary left `running` by a process that is gone (`live` false) is
   * rebuilt from the journal and shown as paused, since a resume continues it.
   */
  readSummary(live: boolean): RunSummary | undefined {
    const path = join(this.dir, RUN_FILES.summary);
    if (!existsSync(path)) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
    const parsed = RunSummary.safeParse(json);
    if (!parsed.success) return undefined;
    const summary = parsed.data;
    if (summary.state !== 'running' || live) return summary;
    return {
      ...summary,
      ...this.journal().counts(),
      state: 'paused',
      stateReason: 'The process ended during the run (crash or kill); resume it to continue.',
    };
  }

  /** Takes the folder's exclusive lock (`RunLockedError` when a live process holds it). */
  lock(): RunLock {
    mkdirSync(this.dir, { recursive: true });
    return RunLock.acquire(this.dir, this.label);
  }

  /** Runs `change` on the journal holding the folder's lock, so no live session appends meanwhile. */
  private underLock<T>(change: () => T): T {
    const lock = this.lock();
    try {
      return change();
    } finally {
      lock.release();
    }
  }

  /** The journal, read now. */
  journal(): SettledJournal {
    return SettledJournal.read(this.dir);
  }

  /** Rows whose current outcome is `outcome`, by row number. */
  settledRows(outcome: 'failed' | 'rejected' | 'skipped'): SettledRow[] {
    return this.journal().rowsWith(outcome);
  }

  /**
   * Skips those of `rows` that are failed or rejected now; returns the count, the row numbers
   * skipped (what an undo gives back) and the new summary.
   */
  skipRows(
    rows: readonly number[],
    reason: string,
    summary: RunSummary,
  ): { skipped: number; rows: number[]; summary: RunSummary } {
    return this.underLock(() => {
      const journal = this.journal();
      const skipped = journal.skip(rows, reason);
      return { skipped: skipped.length, rows: skipped, summary: this.recount(journal, summary) };
    });
  }

  /**
   * Gives those of `rows` the consultant skipped their earlier outcome back (failed or rejected);
   * returns how many went to each and the new summary.
   */
  unskipRows(
    rows: readonly number[],
    summary: RunSummary,
  ): { failed: number; rejected: number; summary: RunSummary } {
    return this.underLock(() => {
      const journal = this.journal();
      const back = journal.unskip(rows);
      return { ...back, summary: this.recount(journal, summary) };
    });
  }

  /** Queues corrected rows for the next retry (they count as failed until then). */
  queueCorrected(rows: readonly SettledRow[], summary: RunSummary): RunSummary {
    return this.underLock(() => {
      const journal = this.journal();
      journal.queueCorrected(rows);
      return this.recount(journal, summary);
    });
  }

  /** Rewrites `summary.json` with the counts the journal now gives (rows read is unchanged). */
  private recount(journal: SettledJournal, summary: RunSummary): RunSummary {
    const updated = {
      ...summary,
      ...journal.counts(),
      updatedAt: new Date().toISOString(),
      invariant: journal.invariant(summary.rowsRead),
    };
    writeSummary(this.dir, updated);
    return updated;
  }
}
