import { rm } from 'node:fs/promises';
import { openCsv } from './csv-source';
import type { CsvSource } from './csv-source';
import { createTableWriter } from './table-writer';
import type { Delimiter } from './delimiter';
import { FingerprintTable } from './fingerprint-table';
import type { HeaderProblem } from './header';
import type { Mapping } from './mapping';
import type { ProblemRule } from './problems';
import { createCellMapper } from './cell-mapper';
import type { DuplicateCheck } from './duplicate-check';
import { REJECT_COLUMNS } from './sluice-files';
import type { SluiceFileKind } from './sluice-files';
import type { SourceFormat } from './source-format';
import type { ContactListSchema } from './schema';
import { createWarningCounter, type RowWarning, type WarnedRow } from './row-warnings';

// Put before the original cells in a rejects file (before, so ragged rows stay aligned).
export { REJECT_COLUMNS } from './sluice-files';

/** Where a preparation is. 'indexing-ids' is the first pass keep-last/reject-all need. */
export interface PrepareProgress {
  phase: 'indexing-ids' | 'preparing';
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
}

/** Inputs of `prepareCsv`. */
export interface PrepareOptions {
  csvPath: string;
  schema: ContactListSchema;
  mapping: Mapping;
  /** Clean file: header = list columns, values exactly as they will be uploaded (.xlsx: a workbook). */
  outPath: string;
  /** Rejects file: reason columns + the original row, formula-injection-safe, for Excel (.xlsx: a workbook). */
  rejectsPath: string;
  defaultCountry?: string;
  normalizePhones?: boolean;
  encoding?: string;
  delimiter?: Delimiter;
  /** The sheet of an .xlsx input (default: the first visible sheet with data). */
  sheet?: string;
  onProgress?: (progress: PrepareProgress) => void;
  signal?: AbortSignal;
  /** Read size in bytes (tests use small values to cross chunk boundaries). */
  chunkBytes?: number;
  /** How many clean rows with a warning the summary lists (`warningRows`; default none). */
  maxWarningRows?: number;
}

/** What a preparation did. Invariant: rowsRead = clean + rejected. */
export interface PrepareSummary {
  rowsRead: number;
  clean: number;
  rejected: number;
  /** Rejected rows per rule (a row breaking two rules counts under both). */
  byRule: Partial<Record<ProblemRule, number>>;
  /**
   * Clean rows that will be sent but deserve a look (core/csv/row-warnings.ts): no phone or
   * email in any contactable column, a cell a spreadsheet would run as a formula.
   */
  warned: number;
  byWarning: Partial<Record<RowWarning, number>>;
  /** The first of them (up to `maxWarningRows`), by file row. */
  warningRows: WarnedRow[];
  encoding: string;
  delimiter: Delimiter;
  /** 'xlsx' when the input was a workbook. */
  format: SourceFormat;
  /** The sheet read (xlsx input only). */
  sheet?: string;
  /** Set when the input was one of Sluice's own files (a fixed rejects file): its Sluice columns were dropped. */
  sluiceFile?: SluiceFileKind;
  headerProblems: HeaderProblem[];
}

/**
 * Validates and normalises a CSV file against a contact list offline, streaming: writes the
 * clean file and the rejects file and returns the counts. Throws CsvFileError for file-level
 * problems (missing, empty, binary, no header, mapping that does not fit); on any failure or
 * cancel the two output files are removed so no half-written file is mistaken for a result.
 */
export async function prepareCsv(options: PrepareOptions): Promise<PrepareSummary> {
  const open = (phase: PrepareProgress['phase']): Promise<CsvSource> =>
    openCsv(options.csvPath, {
      encoding: options.encoding,
      delimiter: options.delimiter,
      sheet: options.sheet,
      signal: options.signal,
      chunkBytes: options.chunkBytes,
      onProgress:
        options.onProgress && ((progress) => options.onProgress?.({ phase, ...progress })),
    });
  const mapperOptions = {
    defaultCountry: options.defaultCountry,
    normalizePhones: options.normalizePhones,
  };
  let source = await open(
    options.mapping.duplicateIds === 'keep-first' ? 'preparing' : 'indexing-ids',
  );
  let duplicates: DuplicateCheck = { mode: 'keep-first' };
  if (options.mapping.duplicateIds !== 'keep-first') {
    const index = await indexContactIds(source, options);
    duplicates = { mode: options.mapping.duplicateIds, index };
    source = await open('preparing');
  }
  const mapRow = createCellMapper(options.mapping, options.schema, {
    ...mapperOptions,
    headers: source.headers,
    duplicates,
    expectedRows: source.estimatedRows,
  });

  const clean = await createTableWriter(options.outPath, { sheetName: 'Clean' });
  const rejects = await createTableWriter(options.rejectsPath, {
    bom: true,
    formulaSafe: true,
    sheetName: 'Rejects',
  });
  const warnings = createWarningCounter(options.schema, options.maxWarningRows ?? 0);
  const summary: PrepareSummary = {
    rowsRead: 0,
    clean: 0,
    rejected: 0,
    byRule: {},
    warned: 0,
    byWarning: {},
    warningRows: [],
    encoding: source.encoding,
    delimiter: source.delimiter,
    format: source.format,
    ...(source.sheet === undefined ? {} : { sheet: source.sheet }),
    ...(source.sluiceFile === undefined ? {} : { sluiceFile: source.sluiceFile }),
    headerProblems: [...source.headerProblems],
  };
  try {
    clean.writeRow(options.schema.columnNames);
    rejects.writeRow([...REJECT_COLUMNS, ...source.headers]);
    for await (const batch of source.batches()) {
      for (const row of batch) {
        summary.rowsRead += 1;
        const result = mapRow(row);
        if (result.ok) {
          summary.clean += 1;
          clean.writeRow(result.cells);
          warnings.note(row.rowNumber, result.cells, row.values);
        } else {
          summary.rejected += 1;
          const rules = [...new Set(result.problems.map((problem) => problem.rule))];
          for (const rule of rules) summary.byRule[rule] = (summary.byRule[rule] ?? 0) + 1;
          const reasons = result.problems.map((problem) => problem.message).join('; ');
          rejects.writeRow([String(row.rowNumber), rules.join(' '), reasons, ...row.values]);
        }
      }
      await clean.flushIfFull();
      await rejects.flushIfFull();
    }
    await Promise.all([clean.close(), rejects.close()]);
  } catch (error) {
    clean.destroy();
    rejects.destroy();
    await Promise.all([
      rm(options.outPath, { force: true }),
      rm(options.rejectsPath, { force: true }),
    ]);
    throw error;
  }
  options.onProgress?.({
    phase: 'preparing',
    bytesRead: source.totalBytes,
    totalBytes: source.totalBytes,
    rowsRead: summary.rowsRead,
  });
  summary.warned = warnings.result.warned;
  summary.byWarning = warnings.result.byWarning;
  summary.warningRows = warnings.result.rows;
  if (summary.rowsRead !== summary.clean + summary.rejected) {
    throw new Error(
      `Internal error: ${summary.rowsRead} rows read but ${summary.clean} clean + ${summary.rejected} rejected`,
    );
  }
  return summary;
}

/** First pass for keep-last / reject-all: the ids of rows that are otherwise valid. */
async function indexContactIds(
  source: CsvSource,
  options: PrepareOptions,
): Promise<FingerprintTable> {
  const index = new FingerprintTable(true, source.estimatedRows);
  const mapRow = createCellMapper(options.mapping, options.schema, {
    headers: source.headers,
    defaultCountry: options.defaultCountry,
    normalizePhones: options.normalizePhones,
    duplicates: { mode: 'off' },
  });
  for await (const batch of source.batches()) {
    for (const row of batch) {
      const result = mapRow(row);
      if (result.ok) index.add(result.id, row.rowNumber);
    }
  }
  return index;
}
