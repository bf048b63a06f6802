import { openCsv } from './csv-source';
import type { Delimiter } from './delimiter';
import type { HeaderProblem } from './header';
import type { Mapping } from './mapping';
import type { Problem } from './problems';
import { createRowMapper } from './row-mapper';
import type { ContactListSchema } from './schema';

/** One list column's value in a previewed row, with what is wrong with it. */
export interface PreviewCell {
  value: string;
  problems: Problem[];
}

/** One previewed row: the CSV cells, the mapped cells, and row-level problems (shape, id). */
export interface PreviewRow {
  rowNumber: number;
  ok: boolean;
  source: Record<string, string>;
  cells: Record<string, PreviewCell>;
  contactId: string;
  rowProblems: Problem[];
}

/** What the mapping screen shows: the file's format and its first rows mapped. */
export interface CsvPreview {
  headers: string[];
  headerProblems: HeaderProblem[];
  encoding: string;
  delimiter: Delimiter;
  totalBytes: number;
  rows: PreviewRow[];
}

/** Options for `previewCsv`. */
export interface PreviewOptions {
  /** How many data rows to map (default 50). */
  rows?: number;
  defaultCountry?: string;
  /** The sheet of an .xlsx workbook (default: the first visible sheet with data). */
  sheet?: string;
  signal?: AbortSignal;
}

/**
 * Maps the first rows of a file for the mapping screen, with problems per cell, reading only
 * what it needs. Duplicate ids are checked among the previewed rows (keep-first). Throws
 * CsvFileError for file-level problems and for a mapping that names missing CSV headers.
 */
export async function previewCsv(
  path: string,
  mapping: Mapping,
  schema: ContactListSchema,
  options: PreviewOptions = {},
): Promise<CsvPreview> {
  const limit = options.rows ?? 50;
  const source = await openCsv(path, {
    signal: options.signal,
    chunkBytes: 64 * 1024,
    ...(options.sheet ? { sheet: options.sheet } : {}),
  });
  const mapRow = createRowMapper({ ...mapping, duplicateIds: 'keep-first' }, schema, {
    headers: source.headers,
    defaultCountry: options.defaultCountry,
  });
  const rows: PreviewRow[] = [];
  if (limit > 0) {
    for await (const row of source) {
      const result = mapRow(row);
      const problems = result.ok ? [] : result.problems;
      const data = result.contact?.data ?? {};
      const cells: Record<string, PreviewCell> = {};
      for (const column of schema.columnNames) {
        cells[column] = {
          value: data[column] ?? '',
          problems: problems.filter((problem) => problem.column === column),
        };
      }
      rows.push({
        rowNumber: row.rowNumber,
        ok: result.ok,
        source: { ...row.fields },
        cells,
        contactId: result.contact?.id ?? '',
        rowProblems: problems.filter((problem) => problem.column === null),
      });
      if (rows.length >= limit) break;
    }
  }
  return {
    headers: [...source.headers],
    headerProblems: [...source.headerProblems],
    encoding: source.encoding,
    delimiter: source.delimiter,
    totalBytes: source.totalBytes,
    rows,
  };
}
