import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { neutraliseFormula } from './formula-safety';

export { neutraliseFormula } from './formula-safety';

const NEEDS_QUOTES = new Map<string, RegExp>();

/** Quotes a cell when it contains the delimiter, a quote, a line break, or edge spaces (RFC 4180). */
export function formatCell(cell: string, delimiter = ','): string {
  if (cell === '') return '';
  let pattern = NEEDS_QUOTES.get(delimiter);
  if (!pattern) {
    const escaped = delimiter.replace(/[\]\\^-]/g, '\\$&');
    pattern = new RegExp(String.raw`[${escaped}"\r\n]|^\s|\s$`);
    NEEDS_QUOTES.set(delimiter, pattern);
  }
  return pattern.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Options for a CSV output file. */
export interface CsvWriterOptions {
  /** Write a UTF-8 BOM so Excel opens accents correctly (rejects files); not for upload files. */
  bom?: boolean;
  /** Prefix `'` to formula-like cells (for files meant for Excel). */
  formulaSafe?: boolean;
  delimiter?: string;
}

/**
 * A streaming UTF-8 CSV writer with CRLF line ends that buffers lines and honours the file
 * stream's back-pressure, so writing millions of rows keeps memory flat.
 */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private readonly delimiter: string;
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    private readonly options: CsvWriterOptions = {},
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.delimiter = options.delimiter ?? ',';
    // Keep the first write error (missing folder, disk full) and report it on the next call.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    if (options.bom) this.buffer.push('\ufeff');
  }

  /** Adds one row to the buffer (call `flushIfFull` between batches to bound memory). */
  writeRow(cells: readonly string[]): void {
    if (this.failure) throw this.writeError();
    let line = '';
    for (let index = 0; index < cells.length; index += 1) {
      const cell = this.options.formulaSafe ? neutraliseFormula(cells[index]!) : cells[index]!;
      line += (index === 0 ? '' : this.delimiter) + formatCell(cell, this.delimiter);
    }
    this.buffer.push(line, '\r\n');
    this.bufferedChars += line.length + 2;
  }

  /** Writes the buffer out when it holds 256 K characters or more, honouring back-pressure. */
  async flushIfFull(): Promise<void> {
    if (this.bufferedChars >= 256 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    if (this.failure) throw this.writeError();
    if (!this.stream.write(text)) await this.drained();
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

  /** Flushes and closes the file; rejects if the disk write failed. */
  async close(): Promise<void> {
    await this.flush();
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
