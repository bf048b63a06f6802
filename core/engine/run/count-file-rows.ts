import { openCsv, type CsvProgress } from '../../csv';
import { fileStamp, sameStamp, type CountedRows } from './file-rows';

/** How to count: the run's sheet, and the count's own progress and cancel. */
export interface CountRowsOptions {
  /** The sheet of an .xlsx workbook the run reads (default: the one `openCsv` picks). */
  sheet?: string;
  /** Called after each chunk read, as `openCsv` reports it. */
  onProgress?: (progress: CsvProgress) => void;
  /** Stops the count; it then throws a CsvFileError with reason 'cancelled'. */
  signal?: AbortSignal;
  /** Read size in bytes (`openCsv`'s option); smaller values are for tests. */
  chunkBytes?: number;
}

/**
 * Data rows of the file (the workbook's sheet) as a run will read them: the run's reader
 * (`openCsv`, as `csvSourceRows` opens it), parsed and not mapped, so quoted line breaks,
 * encodings and blank lines count as the run counts them. Throws the reader's own CsvFileError
 * (a missing, empty, binary or unreadable file), with the message the run would have stopped on.
 */
export async function countRows(path: string, options: CountRowsOptions = {}): Promise<number> {
  const source = await openCsv(path, {
    ...(options.sheet ? { sheet: options.sheet } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
  });
  let rows = 0;
  // By batch, not by row: a million rows are counted without a million awaits.
  for await (const batch of source.batches()) rows += batch.length;
  return rows;
}

/**
 * The file's rows counted now, stamped with its size and mtime, for a run's `fileRows`
 * (run.json): what the app's whole-file check gives a run it starts, for a caller that ran no
 * check (`sluice upload`). The stamp is taken before the count and must be the same after it:
 * a file written during the count gives no count (undefined), and the run reads it to its end
 * instead (docs/ARCHITECTURE.md, "Probes priced by the work left").
 */
export async function countFileRows(
  path: string,
  options: CountRowsOptions = {},
): Promise<CountedRows | undefined> {
  const before = fileStamp(path);
  const rows = await countRows(path, options);
  if (!before || !sameStamp(before, fileStamp(path))) return undefined;
  return { rows, size: before.size, mtimeMs: before.mtimeMs };
}
