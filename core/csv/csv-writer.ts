import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Cells starting with these characters are formulas to Excel (CSV/formula injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes `'` to a cell Excel would treat as a formula; other cells are unchanged. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Quotes a cell when it contains the delimiter, a quote, a line break, or edge spaces (RFC 4180). */
export function formatCell(cell: string, delimiter = ','): string {
  if (cell === '') return '';
  const needsQuotes =
    cell.includes(delimiter) ||
    cell.includes('"') ||
    cell.includes('\n') ||
    cell.includes('\r') ||
    cell.trim() !== cell;
  return needsQuotes ? `"${cell.replaceAll('"', '""')}"` : cell;
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

  /** Adds one row; resolves once the data may be buffered further (back-pressure). */
  async writeRow(cells: readonly string[]): Promise<void> {
    if (this.failure) throw this.writeError();
    let line = '';
    for (let index = 0; index < cells.length; index += 1) {
      const cell = this.options.formulaSafe ? neutraliseFormula(cells[index]!) : cells[index]!;
      line += (index === 0 ? '' : this.delimiter) + formatCell(cell, this.delimiter);
    }
    this.buffer.push(line, '\r\n');
    this.bufferedChars += line.length + 2;
    if (this.bufferedChars >= 256 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    if (this.failure) throw this.writeError();
    if (!this.stream.write(text))
      await Promise.race([once(this.stream, 'drain'), once(this.stream, 'close')]);
    if (this.failure) throw this.writeError();
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
