import { rm } from 'node:fs/promises';
import { CsvWriter } from './csv-writer';
import type { CsvWriterOptions } from './csv-writer';
import { isXlsxPath } from './source-format';
import { XlsxWriter } from './xlsx-writer';

/** A streaming writer of rows to a CSV file or a workbook; both writers have this shape. */
export interface TableWriter {
  readonly path: string;
  /** Adds one row (call `flushIfFull` between batches to bound memory). */
  writeRow(cells: readonly string[]): void;
  /** Writes buffered rows out when enough have gathered, honouring back-pressure. */
  flushIfFull(): Promise<void>;
  /** Finishes the file; rejects if the disk write failed. */
  close(): Promise<void>;
  /** Stops writing without finishing (after a failure or cancel). */
  destroy(): void;
}

/** Options of `createTableWriter`: the CSV options, and the sheet name for a workbook. */
export interface TableWriterOptions extends CsvWriterOptions {
  sheetName?: string;
}

/**
 * A writer for `path`: a workbook when it ends in .xlsx (every cell text: formula-safe without
 * marks), else a UTF-8 CSV file with the given options.
 */
export async function createTableWriter(
  path: string,
  options: TableWriterOptions = {},
): Promise<TableWriter> {
  if (isXlsxPath(path)) return XlsxWriter.create(path, { sheetName: options.sheetName });
  return new CsvWriter(path, options);
}

/**
 * Writes one whole table to `path` (a workbook or a CSV file, as `createTableWriter`): `write`
 * adds the rows, calling `flushIfFull` between them, and the file is then closed. If writing or
 * closing fails, the half-written file is removed and the error rethrown, so a failed export
 * never leaves a partial file behind. Resolves with what `write` returned.
 */
export async function writeTableFile<T>(
  path: string,
  options: TableWriterOptions,
  write: (writer: TableWriter) => Promise<T>,
): Promise<T> {
  const writer = await createTableWriter(path, options);
  try {
    const result = await write(writer);
    await writer.close();
    return result;
  } catch (error) {
    writer.destroy();
    await rm(path, { force: true });
    throw error;
  }
}
