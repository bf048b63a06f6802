import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { CsvFileError } from './errors';
import { detectEncoding, decodeSample } from './decode';
import type { TextEncoding } from './decode';
import { CANDIDATE_DELIMITERS, detectDelimiter, detectNewline } from './delimiter';
import type { Delimiter } from './delimiter';
import { formatRowNumber } from './problems';
import type { RawRecord, RecordProgress } from './raw-record';

const SAMPLE_BYTES = 64 * 1024;
/** A record longer than this is a quote that never closes, not data (Genesys: 50 × 512 chars). */
const MAX_RECORD_CHARS = 4 * 1024 * 1024;
/** Excel's delimiter hint: a first line `sep=;` (European exports) names the delimiter. */
const SEP_HINT = /^"?sep=(.)"?[ \t]*(\r\n|\n|\r)/i;

/** How a delimited text file is to be read, detected from its first 64 KiB. */
export interface TextFormat {
  encoding: TextEncoding;
  delimiter: Delimiter;
  newline: '\r\n' | '\n' | '\r';
  /** The file starts with Excel's `sep=X` line, which is not a record. */
  sepHint: boolean;
  totalBytes: number;
  /** Rough row count from the sample's line length (for sizing; not a promise). */
  estimatedRows: number;
}

/** Options that override detection. */
export interface TextFormatOptions {
  encoding?: TextEncoding;
  delimiter?: Delimiter;
}

/**
 * Detects encoding (BOM, UTF-8, chardet), a `sep=` hint, delimiter and line ending from the
 * first 64 KiB. Throws CsvFileError when the file is missing, empty or binary.
 */
export async function detectTextFormat(
  path: string,
  options: TextFormatOptions,
): Promise<TextFormat> {
  const totalBytes = await fileSize(path);
  const sample = await readSample(path, SAMPLE_BYTES);
  const detection = detectEncoding(sample, sample.length >= totalBytes);
  if (detection.kind === 'empty')
    throw new CsvFileError('empty', path, `${path} is empty: there is no header row and no data`);
  if (detection.kind === 'binary')
    throw new CsvFileError('binary', path, `${path} is not a CSV text file: ${detection.detail}`);
  const encoding = options.encoding ?? detection.encoding;
  let sampleText = decodeSample(sample, encoding);
  const hint = SEP_HINT.exec(sampleText);
  const hinted = CANDIDATE_DELIMITERS.find((candidate) => candidate === hint?.[1]);
  if (hint) sampleText = sampleText.slice(hint[0].length);
  return {
    encoding,
    delimiter: options.delimiter ?? hinted ?? detectDelimiter(sampleText),
    newline: detectNewline(sampleText),
    sepHint: hint !== null,
    totalBytes,
    estimatedRows: estimateRows(sampleText, sample.length, totalBytes),
  };
}

/** Settings of one pass over a text file. */
export interface ReadSettings extends TextFormat {
  chunkBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
}

/**
 * Streams non-blank records (header included) with their record numbers, one batch per read
 * chunk. Record numbers count like Excel's rows: blank lines count, a `sep=` line does not
 * (Excel hides it).
 */
export async function* readTextRecords(
  path: string,
  settings: ReadSettings,
): AsyncGenerator<RawRecord[]> {
  const decoder = textDecoder(settings.encoding);
  const stream = createReadStream(path, { highWaterMark: settings.chunkBytes ?? 64 * 1024 });
  const config = { delimiter: settings.delimiter, newline: settings.newline, quoteChar: '"' };
  let partial = '';
  let recordNumber = settings.sepHint ? -1 : 0;
  let bytesRead = 0;
  let dataRows = -1; // the header is not a data row

  function parse(text: string, final: boolean): RawRecord[] {
    const parser = new Papa.Parser(config);
    const result = parser.parse(text, 0, !final) as Papa.ParseResult<string[]>;
    partial = final ? '' : text.slice(result.meta.cursor);
    const badRows =
      result.errors.length === 0
        ? undefined
        : new Map(result.errors.map((error) => [error.row, error.code]));
    const records: RawRecord[] = [];
    const rows = result.data;
    for (let index = 0; index < rows.length; index += 1) {
      const values = rows[index]!;
      recordNumber += 1;
      if (values.length === 1 && values[0] === '') continue; // a blank line is not a record
      if (recordNumber === 0) continue; // the `sep=` line
      dataRows += 1;
      records.push({
        rowNumber: recordNumber,
        values,
        quoteError: badRows && quoteErrorOf(badRows.get(index)),
      });
    }
    return records;
  }

  try {
    for await (const chunk of stream) {
      if (settings.signal?.aborted) throw cancelled(path);
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
      settings.onProgress?.({ bytesRead, rowsRead: Math.max(0, dataRows) });
    }
    const rest = partial + (decoder.end() ?? '');
    if (rest !== '') yield parse(rest, true);
    if (settings.signal?.aborted) throw cancelled(path);
  } finally {
    stream.destroy();
  }
}

/** A streaming decoder (write chunks, then end) that drops a leading byte-order mark. */
interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string | undefined;
}

/**
 * The decoder of one pass. UTF-8, by far the most common, goes through the platform's
 * TextDecoder, about twice as fast as iconv-lite's (which wraps Node's StringDecoder) on text
 * with accents: invalid bytes become U+FFFD and a BOM is dropped, as with iconv-lite. Other
 * encodings go through iconv-lite.
 */
function textDecoder(encoding: TextEncoding): ChunkDecoder {
  if (!/^utf-?8$/i.test(encoding)) return iconv.getDecoder(encoding, { stripBOM: true });
  const decoder = new TextDecoder('utf-8');
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

function quoteErrorOf(code: string | undefined): RawRecord['quoteError'] {
  if (code === undefined) return undefined;
  return code === 'MissingQuotes' ? 'missing' : 'invalid';
}

/** The error a cancelled read throws. */
export function cancelled(path: string): CsvFileError {
  return new CsvFileError('cancelled', path, `Reading ${path} was cancelled`);
}

/** The file's size; CsvFileError when it is missing or not a file. */
export async function fileSize(path: string): Promise<number> {
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

/** The first `bytes` bytes of the file (fewer when it is shorter). */
export async function readSample(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
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
