import { CsvFileError } from './errors';
import type { TextEncoding } from './decode';
import type { Delimiter } from './delimiter';
import { looksLikeDataRow, normaliseHeaders } from './header';
import type { HeaderProblem } from './header';
import { formatRowNumber } from './problems';
import type { Problem } from './problems';
import type { RawRecord } from './raw-record';
import { recogniseSluiceFile } from './sluice-files';
import type { SluiceFileKind } from './sluice-files';
import { detectSourceFormat } from './source-format';
import type { SourceFormat } from './source-format';
import { detectTextFormat, fileSize, readTextRecords } from './text-records';
import { readXlsxRecords } from './xlsx-records';
import type { XlsxReadState } from './xlsx-records';

/** How far reading has got; `totalBytes` is the file size. */
export interface CsvProgress {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
}

/** Options for `openCsv`; detection is automatic unless encoding/delimiter/sheet are given. */
export interface OpenCsvOptions {
  encoding?: TextEncoding;
  delimiter?: Delimiter;
  /** The sheet of an .xlsx workbook to read (default: the first visible sheet with data). */
  sheet?: string;
  /** Called after each chunk read (about every `chunkBytes`). */
  onProgress?: (progress: CsvProgress) => void;
  /** Stops reading; iteration then throws a CsvFileError with reason 'cancelled'. */
  signal?: AbortSignal;
  /** Read size in bytes (default 64 KiB: measured faster and leaner than larger reads); smaller values are for tests. */
  chunkBytes?: number;
  /**
   * 'keep' reads Sluice's own rejects and row exports as they are, Sluice columns and `'` marks
   * included (for Sluice itself reading a rejects file it just wrote); by default they are read
   * back as the data they came from.
   */
  sluiceColumns?: 'drop' | 'keep';
}

/** One data row of the file, as text, with what was wrong with its shape. */
export class CsvRow {
  private cachedFields: Record<string, string> | undefined;

  constructor(
    /** Record number in the file, the header being row 1 (blank lines count, like Excel). */
    readonly rowNumber: number,
    /** The cells as read, in file order (may be more or fewer than the headers). */
    readonly values: readonly string[],
    /** Shape problems: ragged row, malformed quotes. A row with problems must not be uploaded. */
    readonly problems: readonly Problem[],
    private readonly headers: readonly string[],
  ) {}

  /** The cells by header name (missing cells are absent). */
  get fields(): Record<string, string> {
    if (!this.cachedFields) {
      const fields: Record<string, string> = Object.create(null) as Record<string, string>;
      const count = Math.min(this.headers.length, this.values.length);
      for (let index = 0; index < count; index += 1)
        fields[this.headers[index]!] = this.values[index]!;
      this.cachedFields = fields;
    }
    return this.cachedFields;
  }
}

/**
 * An opened CSV file or spreadsheet: header and detected format known, rows read lazily as you
 * iterate (once). Memory stays flat: one chunk and its rows at a time.
 */
export interface CsvSource extends AsyncIterable<CsvRow> {
  readonly path: string;
  /** 'csv' for delimited text (any encoding), 'xlsx' for an Excel workbook. */
  readonly format: SourceFormat;
  /** The sheet read (xlsx only). */
  readonly sheet?: string;
  /** Every sheet of the workbook, in workbook order (xlsx only). */
  readonly sheets?: readonly string[];
  /** Set when the file is one of Sluice's own (rejects, failed rows): its Sluice columns were dropped. */
  readonly sluiceFile?: SluiceFileKind;
  /** Unique, non-empty column names (see `headerProblems` for renamed ones). */
  readonly headers: readonly string[];
  readonly headerProblems: readonly HeaderProblem[];
  /** The text encoding ('utf-8' for xlsx, whose XML is UTF-8). */
  readonly encoding: TextEncoding;
  /** The delimiter (',' for xlsx, which has none). */
  readonly delimiter: Delimiter;
  readonly newline: '\r\n' | '\n' | '\r';
  readonly totalBytes: number;
  /** Rough row count from the first 64 KB's line length (for sizing; not a promise). */
  readonly estimatedRows: number;
  /** The rows in batches (one per read chunk): cheaper than row by row for millions of rows. */
  batches(): AsyncIterable<CsvRow[]>;
}

/** Bytes of a compressed sheet per row, roughly, for sizing tables (xlsx has no cheap count). */
const XLSX_BYTES_PER_ROW_ESTIMATE = 40;

/**
 * Opens a CSV file or an Excel workbook (.xlsx, recognised by its bytes or its extension) and
 * returns a source that streams its data rows. CSV: detects encoding (BOM, UTF-8, UTF-16,
 * chardet), Excel's `sep=` line, delimiter and line ending from the first 64 KB. xlsx: reads
 * the chosen sheet (`options.sheet`, else the first visible one with data) as the consultant
 * sees its cells. Sluice's own rejects and failed-rows files are read back as their data.
 * Throws CsvFileError when the file is missing, empty, binary, or has no header row.
 */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvSource> {
  const totalBytes = await fileSize(path);
  const format = await detectSourceFormat(path);
  const progress =
    options.onProgress &&
    ((update: { bytesRead: number; rowsRead: number }) =>
      options.onProgress?.({ ...update, totalBytes }));
  if (format === 'xlsx') {
    const state: XlsxReadState = { sheet: '', sheets: [] };
    const records = readXlsxRecords(
      path,
      { sheet: options.sheet, signal: options.signal, onProgress: progress },
      state,
    );
    const table = await readHeader(path, records, true, options.sluiceColumns !== 'keep');
    return buildSource(table, {
      path,
      format,
      sheet: state.sheet,
      sheets: [...state.sheets],
      encoding: 'utf-8',
      delimiter: ',',
      newline: '\r\n',
      totalBytes,
      estimatedRows: Math.ceil(totalBytes / XLSX_BYTES_PER_ROW_ESTIMATE),
    });
  }
  const text = await detectTextFormat(path, options);
  const records = readTextRecords(path, {
    ...text,
    chunkBytes: options.chunkBytes,
    signal: options.signal,
    onProgress: progress,
  });
  const table = await readHeader(path, records, false, options.sluiceColumns !== 'keep');
  return buildSource(table, {
    path,
    format,
    encoding: text.encoding,
    delimiter: text.delimiter,
    newline: text.newline,
    totalBytes,
    estimatedRows: text.estimatedRows,
  });
}

type SourceInfo = Omit<
  CsvSource,
  'headers' | 'headerProblems' | 'batches' | typeof Symbol.asyncIterator
>;

/** The header read, and the rows to come. */
interface Table {
  path: string;
  headers: string[];
  headerProblems: HeaderProblem[];
  sluiceFile: SluiceFileKind | undefined;
  /** Turns a raw record into its final cells (Sluice columns dropped, trailing empties trimmed). */
  cells: (values: string[]) => string[];
  /** Missing trailing cells are empty cells, not a ragged row (spreadsheets do not store them). */
  padShortRows: boolean;
  pending: RawRecord[];
  records: AsyncGenerator<RawRecord[]>;
}

/**
 * Reads the header row and decides how rows are cut: Sluice's own columns dropped, trailing
 * empty header cells (a formatted range wider than the data) ignored.
 */
async function readHeader(
  path: string,
  records: AsyncGenerator<RawRecord[]>,
  padShortRows: boolean,
  recogniseOwnFiles: boolean,
): Promise<Table> {
  let pending: RawRecord[] = [];
  let rawHeader: string[] | undefined;
  while (rawHeader === undefined) {
    const batch = await records.next();
    if (batch.done)
      throw new CsvFileError('empty', path, `${path} is empty: there is no header row and no data`);
    if (batch.value.length > 0) {
      rawHeader = batch.value[0]!.values;
      pending = batch.value.slice(1);
    }
  }
  if (looksLikeDataRow(rawHeader)) {
    await records.return(undefined);
    throw new CsvFileError(
      'no-header',
      path,
      `${path} has no header row: its first row (${rawHeader.slice(0, 3).join(', ')}…) looks like data. Add a row of column names at the top.`,
    );
  }
  const sluice = recogniseOwnFiles ? recogniseSluiceFile(rawHeader) : undefined;
  const header = sluice ? sluice.header : rawHeader;
  // Trailing columns with no header and no data in the first chunk are a formatted range wider
  // than the data (Excel saves its empty cells): they are not columns. Data under an unnamed
  // column keeps it (named "Column N", with a header note).
  let width = header.length;
  const hasData = (index: number): boolean =>
    pending.some((record) => {
      const cell = (sluice ? sluice.restore(record.values) : record.values)[index];
      return cell !== undefined && cell !== '';
    });
  while (width > 1 && header[width - 1]!.trim() === '' && !hasData(width - 1)) width -= 1;
  const { headers, problems } = normaliseHeaders(header.slice(0, width));
  const restore = sluice?.restore;
  const cells = (values: string[]): string[] => {
    const restored = restore ? restore(values) : values;
    if (restored.length <= width) return restored;
    for (let index = width; index < restored.length; index += 1)
      if (restored[index] !== '') return restored;
    return restored.slice(0, width);
  };
  return {
    path,
    headers,
    headerProblems: problems,
    sluiceFile: sluice?.kind,
    cells,
    padShortRows,
    pending,
    records,
  };
}

function buildSource(table: Table, info: SourceInfo): CsvSource {
  const { headers, path } = table;
  let iterated = false;
  const toRow = (record: RawRecord): CsvRow => {
    let values = table.cells(record.values);
    if (table.padShortRows && values.length < headers.length) {
      values = [...values];
      while (values.length < headers.length) values.push('');
    }
    return new CsvRow(
      record.rowNumber,
      values,
      shapeProblems(record, values.length, headers.length),
      headers,
    );
  };

  async function* batches(): AsyncGenerator<CsvRow[]> {
    if (iterated) throw new Error(`${path} can be read only once per openCsv call`);
    iterated = true;
    if (table.pending.length > 0) yield table.pending.map(toRow);
    table.pending = [];
    for await (const batch of table.records) if (batch.length > 0) yield batch.map(toRow);
  }

  return {
    ...info,
    ...(table.sluiceFile ? { sluiceFile: table.sluiceFile } : {}),
    headers,
    headerProblems: table.headerProblems,
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

function shapeProblems(record: RawRecord, cells: number, columns: number): readonly Problem[] {
  if (record.quoteError === undefined && cells === columns) return NO_PROBLEMS;
  const problems: Problem[] = [];
  if (record.quoteError) {
    problems.push({
      rowNumber: record.rowNumber,
      column: null,
      value: '',
      rule: 'malformed-quotes',
      message:
        record.quoteError === 'missing'
          ? `Row ${formatRowNumber(record.rowNumber)} opens a quoted cell that never closes (a stray " character?); the rest of the file was read into it`
          : `Row ${formatRowNumber(record.rowNumber)} has a misplaced quote character ("); check the cells around it`,
    });
  }
  if (cells !== columns) {
    problems.push({
      rowNumber: record.rowNumber,
      column: null,
      value: '',
      rule: 'ragged-row',
      message: `Row ${formatRowNumber(record.rowNumber)} has ${cells} cells but the header has ${columns} columns`,
    });
  }
  return problems;
}
