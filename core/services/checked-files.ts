import type { SchemaSource } from '../contract';
import type { Mapping } from '../csv';
import { fileStamp, sameStamp, type CountedRows, type FileStamp } from '../engine/run/file-rows';

/** Checks remembered at most: one per file the consultant is working on is plenty. */
const MAX_REMEMBERED = 50;

interface Remembered {
  stamp: FileStamp;
  rows: number;
  rejected: number;
  /** The schema source and mapping the check ran with: its rejects are theirs. */
  ruleKey: string;
}

/**
 * What the host's own whole-file checks (`csv:check`) counted, so an upload started after one
 * knows its file's rows without trusting a number from the renderer (docs/ARCHITECTURE.md,
 * "Probes priced by the work left"). Keyed by the file's path and sheet; a count is given back
 * only while the file still has the size and mtime it had through the whole check, so an edited
 * file is never given a stale count. The rejected rows are given only to a run with the check's
 * list and mapping. Shared by the check and the runs service; in memory: a restarted app checks
 * the file again before an upload anyway.
 */
export class CheckedFiles {
  private readonly checks = new Map<string, Remembered>();

  /**
   * Remembers a finished check when the file had the same size and mtime before it (`before`)
   * and after it: a file written during the check has no count to trust.
   */
  remember(
    file: { path: string; sheet: string | undefined },
    before: FileStamp | undefined,
    rules: { source: SchemaSource; mapping: Mapping },
    counted: { rowsRead: number; rejected: number },
  ): void {
    const key = fileKey(file.path, file.sheet);
    this.checks.delete(key);
    const after = fileStamp(file.path);
    if (!before || !sameStamp(before, after)) return;
    this.checks.set(key, {
      stamp: before,
      rows: counted.rowsRead,
      rejected: counted.rejected,
      ruleKey: ruleKey(rules.source, rules.mapping),
    });
    for (const oldest of this.checks.keys()) {
      if (this.checks.size <= MAX_REMEMBERED) break;
      this.checks.delete(oldest);
    }
  }

  /** The count for a run on this file with these rules, if a check saw the file as it is now. */
  countFor(
    file: { path: string; sheet: string | undefined },
    rules: { source: SchemaSource; mapping: Mapping },
  ): CountedRows | undefined {
    const check = this.checks.get(fileKey(file.path, file.sheet));
    if (!check || !sameStamp(check.stamp, fileStamp(file.path))) return undefined;
    return {
      rows: check.rows,
      ...(check.ruleKey === ruleKey(rules.source, rules.mapping)
        ? { rejected: check.rejected }
        : {}),
      size: check.stamp.size,
      mtimeMs: check.stamp.mtimeMs,
    };
  }
}

function fileKey(path: string, sheet: string | undefined): string {
  return JSON.stringify([path, sheet ?? null]);
}

function ruleKey(source: SchemaSource, mapping: Mapping): string {
  return stableJson({ source, mapping });
}

/** JSON with every object's keys sorted, so two equal values give one text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : item,
  );
}
