import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { formatCell, isSpace, needsQuotes } from './csv-cell';
import { neutraliseFormula } from './formula-safety';

export { formatCell } from './csv-cell';
export { neutraliseFormula } from './formula-safety';

/** Options for a CSV output file. */
export interface CsvWriterOptions {
  /** Write a UTF-8 BOM so Excel opens accents correctly (rejects files); not for upload files. */
  bom?: boolean;
  /** Prefix `'` to formula-like cells (for files meant for Excel). */
  formulaSafe?: boolean;
  delimiter?: string;
  /** Size of the buffer rows are encoded into, in bytes (default 256 KiB; tests use small ones). */
  bufferBytes?: number;
}

const DEFAULT_BUFFER_BYTES = 256 * 1024;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/** First characters that can make a spreadsheet evaluate a cell (formula-safety.ts decides). */
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]); // = + - @ TAB CR

/**
 * A streaming UTF-8 CSV writer with CRLF line ends. Rows are encoded straight into a byte
 * buffer that goes to the file when full, and `flushIfFull` honours the file stream's
 * back-pressure, so writing millions of rows keeps memory flat.
 *
 * Why bytes rather than strings: joining cells into lines and lines into blocks, then encoding
 * the block, touched every character three times and made two short-lived strings per row. A
 * plain ASCII cell (most contact data) is now copied byte by byte in the same loop that checks
 * whether it needs quotes; other cells are encoded by Buffer#write. Measured in
 * docs/bench/csv.bench.ts.md ("the two writers").
 */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer: Buffer;
  private used = 0;
  private readonly bufferBytes: number;
  private readonly delimiter: string;
  private readonly delimiterBytes: Buffer;
  /** The delimiter's first UTF-16 code, as `needsQuotes` compares it. */
  private readonly separator: number;
  /** Buffers the file has written out, ready for reuse (see `push`). */
  private readonly spare: Buffer[] = [];
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    private readonly options: CsvWriterOptions = {},
  ) {
    this.stream = createWriteStream(path);
    this.delimiter = options.delimiter ?? ',';
    this.delimiterBytes = Buffer.from(this.delimiter, 'utf8');
    this.separator = this.delimiter.charCodeAt(0);
    this.bufferBytes = Math.max(16, options.bufferBytes ?? DEFAULT_BUFFER_BYTES);
    this.buffer = Buffer.allocUnsafeSlow(this.bufferBytes);
    // Keep the first write error (missing folder, disk full) and report it on the next call.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    if (options.bom) this.used = this.buffer.write('\ufeff', 0);
  }

  /** Adds one row (call `flushIfFull` between batches to honour back-pressure). */
  writeRow(cells: readonly string[]): void {
    if (this.failure) throw this.writeError();
    const safe = this.options.formulaSafe === true;
    for (let index = 0; index < cells.length; index += 1) {
      if (index > 0) this.writeDelimiter();
      let cell = cells[index]!;
      if (safe && cell.length > 0 && FORMULA_START.has(cell.charCodeAt(0)))
        cell = neutraliseFormula(cell);
      this.writeCell(cell);
    }
    this.reserve(2);
    this.buffer[this.used++] = CR;
    this.buffer[this.used++] = LF;
  }

  private writeDelimiter(): void {
    const bytes = this.delimiterBytes;
    this.reserve(bytes.length);
    if (bytes.length === 1) this.buffer[this.used++] = bytes[0]!;
    else this.used += bytes.copy(this.buffer, this.used);
  }

  private writeCell(cell: string): void {
    const length = cell.length;
    if (length === 0) return;
    // At most 3 bytes per UTF-16 code (a surrogate pair is 4 bytes for 2 codes), a doubled quote
    // is 2, plus the two enclosing quotes: a cell never has to be cut across two buffers.
    const maxBytes = 3 * length + 2;
    if (maxBytes > this.bufferBytes) {
      this.push();
      this.stream.write(formatCell(cell, this.delimiter), 'utf8');
      return;
    }
    this.reserve(maxBytes);
    const buffer = this.buffer;
    const start = this.used;
    if (isSpace(cell.charCodeAt(0)) || isSpace(cell.charCodeAt(length - 1))) {
      this.used = this.writeQuoted(cell, start);
      return;
    }
    const separator = this.separator;
    let at = start;
    for (let index = 0; index < length; index += 1) {
      const code = cell.charCodeAt(index);
      // Printable ASCII after the quote (letters, digits, most punctuation), then space and `!`:
      // range tests measured faster than a lookup table in this loop.
      if ((code > QUOTE && code < 0x7f && code !== separator) || code === 32 || code === 33) {
        buffer[at++] = code;
        continue;
      }
      // Not plain ASCII: the rest of the cell decides, and Buffer#write encodes it whole.
      this.used = needsQuotes(cell, this.separator, index)
        ? this.writeQuoted(cell, start)
        : start + buffer.write(cell, start, 'utf8');
      return;
    }
    this.used = at;
  }

  /** Writes `"cell"` with inner quotes doubled at `start`; returns the end offset. */
  private writeQuoted(cell: string, start: number): number {
    const buffer = this.buffer;
    buffer[start] = QUOTE;
    const text = cell.includes('"') ? cell.replaceAll('"', '""') : cell;
    const end = start + 1 + buffer.write(text, start + 1, 'utf8');
    buffer[end] = QUOTE;
    return end + 1;
  }

  /** Makes room for `bytes` more bytes, handing the full buffer to the file first if needed. */
  private reserve(bytes: number): void {
    if (this.used + bytes > this.bufferBytes) this.push();
  }

  /**
   * Hands the buffered bytes to the file stream and goes on in a spare buffer. The stream keeps
   * a buffer until the disk write is done, then it becomes spare again: a handful of buffers
   * serve the whole file. (A new buffer per hand-over lives outside the JS heap until a full
   * collection, and on long files that memory drifted upwards.)
   */
  private push(): void {
    if (this.used === 0) return;
    const full = this.buffer;
    this.stream.write(full.subarray(0, this.used), () => this.spare.push(full));
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
    this.used = 0;
  }

  /** Waits while the file stream holds more than it wants (its buffer is handed over when full). */
  async flushIfFull(): Promise<void> {
    if (this.failure) throw this.writeError();
    if (this.stream.writableNeedDrain) await this.drained();
    if (this.failure) throw this.writeError();
  }

  /** Resolves on 'drain', or on 'close' after an error (listeners removed either way). */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
    });
  }

  private writeError(): Error {
    const code = (this.failure as NodeJS.ErrnoException | undefined)?.code;
    return new Error(
      `Cannot write ${this.path} (${code ?? this.failure?.message ?? 'unknown error'})`,
    );
  }

  /** Writes what is buffered and closes the file; rejects if the disk write failed. */
  async close(): Promise<void> {
    if (this.failure) throw this.writeError();
    this.push();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', () => reject(this.writeError()));
      this.stream.end(() => resolve());
    });
    if (this.failure) throw this.writeError();
  }

  /** Closes without waiting for pending data (after a failure or cancel). */
  destroy(): void {
    this.stream.destroy();
  }
}
