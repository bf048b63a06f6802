import { statSync } from 'node:fs';
import { z } from 'zod';

/** The most rows a counted file may claim: far past any sheet or list (a list holds 1,000,000). */
const MAX_COUNTED_ROWS = 1_000_000_000;

/**
 * A file's rows as counted once by reading it whole (the whole-file check before an upload),
 * with the file's size and modification time then. The count is the file's only while the file
 * still has both: an edited file is not trusted, the run reads it to its end instead
 * (docs/ARCHITECTURE.md, "Probes priced by the work left"). Stored in `run.json`, so a resume in
 * another process, or after a restart, knows it too; validated there like the rest of the file.
 */
export const CountedRows = z
  .object({
    /** Data rows in the file (the header not counted): the rows a run reads, every one. */
    rows: z.number().int().min(0).max(MAX_COUNTED_ROWS),
    /**
     * Of those, the rows the count's mapping refused: read and rejected, never sent. Absent when
     * the count was made with another mapping or list than the run's.
     */
    rejected: z.number().int().min(0).max(MAX_COUNTED_ROWS).optional(),
    /** The file's size in bytes when counted. */
    size: z.number().int().min(0),
    /** The file's modification time when counted, ms since the epoch (`fs.Stats.mtimeMs`). */
    mtimeMs: z.number().min(0),
  })
  .refine((count) => count.rejected === undefined || count.rejected <= count.rows, {
    message: 'rejected rows cannot outnumber the rows counted',
  });
export type CountedRows = z.infer<typeof CountedRows>;

/** What says a file is still the one that was counted. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** The file's size and modification time now, or undefined when it cannot be read as a file. */
export function fileStamp(path: string): FileStamp | undefined {
  try {
    const stats = statSync(path);
    return stats.isFile() ? { size: stats.size, mtimeMs: stats.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** True when both stamps name the same state of a file. */
export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** The rows a run may take as its file's: the count while the file at `path` is unchanged. */
export interface FileRows {
  rows: number;
  rejected?: number;
}

/** The count, when the file at `path` still has the size and mtime it was counted with. */
export function rowsIfUnchanged(
  path: string,
  count: CountedRows | undefined,
): FileRows | undefined {
  if (!count || !sameStamp(fileStamp(path), count)) return undefined;
  return {
    rows: count.rows,
    ...(count.rejected !== undefined ? { rejected: count.rejected } : {}),
  };
}
