import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from './exceljs-loader';
import type { ExcelJsModule } from './exceljs-loader';
import type { CsvWriterOptions } from './csv-writer';

/** Options for a workbook output file. */
export interface XlsxWriterOptions extends Pick<CsvWriterOptions, 'formulaSafe'> {
  /** The sheet's name (Excel allows 31 characters). */
  sheetName?: string;
}

/** Rows written between two pauses that let the zip stream drain to disk. */
const ROWS_PER_DRAIN = 2000;

/**
 * A streaming .xlsx writer with CsvWriter's interface (writeRow, flushIfFull, close, destroy),
 * for files a consultant would rather open as a workbook (rejects, failures, reconciliation).
 * Every cell is written as text, so nothing in it is ever evaluated: a workbook needs no `'`
 * marks to be formula-safe, and values read back exactly as written (`+17735552000` stays text,
 * `02134` keeps its zero). Characters XML cannot hold (control characters other than tab, line
 * feed and carriage return) are dropped by the writer. Memory stays flat: rows are committed as
 * written and the zip is streamed to disk.
 */
export class XlsxWriter {
  private readonly file: WriteStream;
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;
  private rowsSinceDrain = 0;
  private failure: Error | undefined;

  /** Opens a writer (loads exceljs on first use). */
  static async create(path: string, options: XlsxWriterOptions = {}): Promise<XlsxWriter> {
    return new XlsxWriter(await loadExcelJs(), path, options);
  }

  private constructor(
    excel: ExcelJsModule,
    readonly path: string,
    options: XlsxWriterOptions,
  ) {
    this.file = createWriteStream(path);
    this.file.on('error', (error) => {
      this.failure ??= error;
    });
    this.workbook = new excel.stream.xlsx.WorkbookWriter({
      stream: this.file,
      useSharedStrings: false,
      useStyles: false,
    });
    this.sheet = this.workbook.addWorksheet((options.sheetName ?? 'Sheet1').slice(0, 31));
  }

  /** Adds one row (call `flushIfFull` between batches so the zip can drain). */
  writeRow(cells: readonly string[]): void {
    if (this.failure) throw this.writeError();
    // Empty cells are left out, as a spreadsheet stores them.
    this.sheet.addRow(cells.map((cell) => (cell === '' ? null : cell))).commit();
    this.rowsSinceDrain += 1;
  }

  /** Lets the zip stream write out what the rows so far produced. */
  async flushIfFull(): Promise<void> {
    if (this.rowsSinceDrain < ROWS_PER_DRAIN) return;
    this.rowsSinceDrain = 0;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.file.writableNeedDrain) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.file.off('drain', done);
          this.file.off('close', done);
          resolve();
        };
        this.file.on('drain', done);
        this.file.on('close', done);
      });
    }
    if (this.failure) throw this.writeError();
  }

  /** Finishes the sheet and the workbook; rejects if the disk write failed. */
  async close(): Promise<void> {
    if (this.failure) throw this.writeError();
    this.sheet.commit();
    await this.workbook.commit();
    if (!this.file.closed) {
      await new Promise<void>((resolve) => {
        this.file.once('close', () => resolve());
      });
    }
    if (this.failure) throw this.writeError();
  }

  /** Stops writing (after a failure or cancel); the caller removes the file. */
  destroy(): void {
    this.file.destroy();
  }

  private writeError(): Error {
    const code = (this.failure as NodeJS.ErrnoException | undefined)?.code;
    return new Error(
      `Cannot write ${this.path} (${code ?? this.failure?.message ?? 'unknown error'})`,
    );
  }
}
