import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { CsvFileError } from './errors';
import { detectEncoding, decodeSample } from './decode';
import type { TextEncoding } from './decode';
import { detectDelimiter, detectNewline } from './delimiter';
import type { Delimiter } from './delimiter';
import { looksLikeDataRow, normaliseHeaders } from './header';
import type { HeaderProblem } from './header';
import { formatRowNumber } from './problems';
import type { Problem } from './problems';

const SAMPLE_BYTES = 64 * 1024;
/** A record longer than this is a quote that never closes, not data (Genesys: 50 × 512 chars). */
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** How far reading has got; `totalBytes` is the file size. */
export interface CsvProgress {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
}

/** Options for `openCsv`; detection is automatic unless encoding/delimiter are given. */
export interface OpenCsvOptions {
  encoding?: TextEncoding;
  delimiter?: Delimiter;
  /** Called after each chunk read (about every `chunkBytes`). */
  onProgress?: (progress: CsvProgress) => void;
  /** Stops reading; iteration then throws a CsvFileError with reason 'cancelled'. */
  signal?: AbortSignal;
  /** Read size in bytes (default 64 KiB: measured faster and leaner than larger reads); smaller values are for tests. */
  chunkBytes?: number;
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
 * An opened CSV file: header and detected format known, rows read lazily as you iterate (once).
 * Memory stays flat: one chunk and its rows at a time.
 */
export interface CsvSource extends AsyncIterable<CsvRow> {
  readonly path: string;
  /** Unique, non-empty column names (see `headerProblems` for renamed ones). */
  readonly headers: readonly string[];
  readonly headerProblems: readonly HeaderProblem[];
  readonly encoding: TextEncoding;
  readonly delimiter: Delimiter;
  readonly newline: '\r\n' | '\n' | '\r';
  readonly totalBytes: number;
  /** Rough row count from the first 64 KB's line length (for sizing; not a promise). */
  readonly estimatedRows: number;
  /** The rows in batches (one per read chunk): cheaper than row by row for millions of rows. */
  batches(): AsyncIterable<CsvRow[]>;
}

/**
 * Opens a CSV file: detects encoding (BOM, UTF-8, chardet), delimiter and line ending from the
 * first 64 KB, reads the header row, and returns a source that streams the data rows.
 * Throws CsvFileError when the file is missing, empty, binary, or has no header row.
 */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvSource> {
  const totalBytes = await fileSize(path);
  const sample = await readSample(path);
  const detection = detectEncoding(sample, sample.length >= totalBytes);
  if (detection.kind === 'empty')
    throw new CsvFileError('empty', path, `${path} is empty: there is no header row and no data`);
  if (detection.kind === 'binary')
    throw new CsvFileError('binary', path, `${path} is not a CSV text file: ${detection.detail}`);
  const encoding = options.encoding ?? detection.encoding;
  const sampleText = decodeSample(sample, encoding);
  const delimiter = options.delimiter ?? detectDelimiter(sampleText);
  const newline = detectNewline(sampleText);

  const records = readRecords(path, { encoding, delimiter, newline, totalBytes, options });
  let pending: RawRecord[] = [];
  let rawHeader: string[] | undefined;
  while (rawHeader === undefined) {
    const batch = await records.next();
    if (batch.done) {
      throw new CsvFileError('empty', path, `${path} is empty: there is no header row and no data`);
    }
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
  const { headers, problems: headerProblems } = normaliseHeaders(rawHeader);
  let iterated = false;
  const toRow = (record: RawRecord): CsvRow =>
    new CsvRow(record.rowNumber, record.values, shapeProblems(record, headers), headers);

  async function* batches(): AsyncGenerator<CsvRow[]> {
    if (iterated) throw new Error(`${path} can be read only once per openCsv call`);
    iterated = true;
    if (pending.length > 0) yield pending.map(toRow);
    pending = [];
    for await (const batch of records) if (batch.length > 0) yield batch.map(toRow);
  }

  return {
    path,
    headers,
    headerProblems,
    encoding,
    delimiter,
    newline,
    totalBytes,
    estimatedRows: estimateRows(sampleText, sample.length, totalBytes),
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

interface RawRecord {
  rowNumber: number;
  values: string[];
  quoteError: 'missing' | 'invalid' | undefined;
}

function quoteErrorOf(code: string | undefined): RawRecord['quoteError'] {
  if (code === 'MissingQuotes') return 'missing';
  return code === undefined ? undefined : 'invalid';
}

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

function shapeProblems(record: RawRecord, headers: readonly string[]): readonly Problem[] {
  if (record.quoteError === undefined && record.values.length === headers.length)
    return NO_PROBLEMS;
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
  if (record.values.length !== headers.length) {
    problems.push({
      rowNumber: record.rowNumber,
      column: null,
      value: '',
      rule: 'ragged-row',
      message: `Row ${formatRowNumber(record.rowNumber)} has ${record.values.length} cells but the header has ${headers.length} columns`,
    });
  }
  return problems;
}

interface ReadSettings {
  encoding: TextEncoding;
  delimiter: Delimiter;
  newline: '\r\n' | '\n' | '\r';
  totalBytes: number;
  options: OpenCsvOptions;
}

/** Streams non-blank records (header included) with their record numbers, one batch per chunk. */
async function* readRecords(path: string, settings: ReadSettings): AsyncGenerator<RawRecord[]> {
  const { options } = settings;
  const decoder = iconv.getDecoder(settings.encoding, { stripBOM: true });
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 64 * 1024 });
  let partial = '';
  let recordNumber = 0;
  let bytesRead = 0;
  let dataRows = -1; // the header is not a data row

  function parse(text: string, final: boolean): RawRecord[] {
    const parser = new Papa.Parser({
      delimiter: settings.delimiter,
      newline: settings.newline,
      quoteChar: '"',
    });
    const result = parser.parse(text, 0, !final) as Papa.ParseResult<string[]>;
    const badRows = new Map(result.errors.map((error) => [error.row, error.code]));
    partial = final ? '' : text.slice(result.meta.cursor);
    const records: RawRecord[] = [];
    for (let index = 0; index < result.data.length; index += 1) {
      const values = result.data[index]!;
      recordNumber += 1;
      if (values.length === 1 && values[0] === '') continue; // a blank line is not a record
      dataRows += 1;
      records.push({
        rowNumber: recordNumber,
        values,
        quoteError: quoteErrorOf(badRows.get(index)),
      });
    }
    return records;
  }

  try {
    for await (const chunk of stream) {
      if (options.signal?.aborted) throw cancelled(path);
      const bytes = chunk as Buffer;
      bytesRead += bytes.length;
      const text = decoder.write(bytes);
      if (text !== '') yield parse(partial + text, false);
      if (partial.length > MAX_RECORD_CHARS) {
        throw new CsvFileError(
          'unreadable',
          path,
          `${path}: the quoted cell starting at row ${formatRowNumber(recordNumber + 1)} never ends (a stray " character?)`,
        );
      }
      options.onProgress?.({
        bytesRead,
        totalBytes: settings.totalBytes,
        rowsRead: Math.max(0, dataRows),
      });
    }
    const rest = partial + (decoder.end() ?? '');
    if (rest !== '') yield parse(rest, true);
    if (options.signal?.aborted) throw cancelled(path);
  } finally {
    stream.destroy();
  }
}

function cancelled(path: string): CsvFileError {
  return new CsvFileError('cancelled', path, `Reading ${path} was cancelled`);
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CsvFileError('unreadable', path, `${path} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof CsvFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CsvFileError('not-found', path, `${path} does not exist`);
    throw new CsvFileError('unreadable', path, `${path} cannot be read (${code ?? String(error)})`);
  }
}

async function readSample(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function estimateRows(sampleText: string, sampleBytes: number, totalBytes: number): number {
  let lines = 0;
  for (
    let index = sampleText.indexOf('\n');
    index !== -1;
    index = sampleText.indexOf('\n', index + 1)
  )
    lines += 1;
  if (lines === 0)
    for (
      let index = sampleText.indexOf('\r');
      index !== -1;
      index = sampleText.indexOf('\r', index + 1)
    )
      lines += 1;
  return sampleBytes === 0 ? 0 : Math.ceil((lines * totalBytes) / sampleBytes);
}
