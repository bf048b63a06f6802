import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import Papa from 'papaparse';
import type { EngineContact } from '../types';

/**
 * The CSV file a bulk import uploads (docs/GENESYS.md#bulk-import). Values go in exactly as the contacts strategy
 * would post them: no formula prefix (this file is data for Genesys, not a report for a
 * spreadsheet), quoted only where CSV needs it. Written in chunks so memory stays flat.
 */

/** Name of the extra column that carries the contact id when no list column does. */
export const DEFAULT_IMPORT_ID_COLUMN = 'SluiceContactId';

/** The file's header: every list column in the list's order, then the id column unless it is one of them. */
export function importColumns(listColumns: readonly string[], idColumn: string): string[] {
  return listColumns.includes(idColumn) ? [...listColumns] : [...listColumns, idColumn];
}

/** One CSV cell of the import file: quoted when it holds `"`, `,`, CR, LF or edge spaces; never altered. */
export function importCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/** One CRLF-terminated line of the import file. */
export function importLine(cells: readonly string[]): string {
  return `${cells.map(importCell).join(',')}\r\n`;
}

/** The cells of one contact in `columns` order: a list column absent from the data is empty. */
export function contactCells(
  contact: EngineContact,
  columns: readonly string[],
  idColumn: string,
): string[] {
  return columns.map((column) => (column === idColumn ? contact.id : (contact.data[column] ?? '')));
}

/**
 * Why a contact cannot go into the import file, or undefined when it can. The import has no
 * per-row errors (a column the list lacks fails the whole import; Genesys drops over-long values
 * silently), so these are caught here and the row is accounted as rejected with the reason.
 */
export function importRowProblem(
  contact: EngineContact,
  listColumns: ReadonlySet<string>,
  idColumn: string,
  maxValueLength: number,
): string | undefined {
  if (contact.id === '') return 'The row has no contact id';
  const unknown = Object.keys(contact.data).filter((column) => !listColumns.has(column));
  if (unknown.length > 0) {
    return `Column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in the contact list (an import with it would fail as a whole)`;
  }
  // The extra id column a previous import added to the list holds the id, not mapped data.
  if (
    listColumns.has(idColumn) &&
    idColumn !== DEFAULT_IMPORT_ID_COLUMN &&
    contact.data[idColumn] !== contact.id
  ) {
    return `The contact id "${contact.id}" differs from the value of the id column "${idColumn}" ("${contact.data[idColumn] ?? ''}")`;
  }
  for (const [column, value] of Object.entries(contact.data)) {
    if (value.length > maxValueLength) {
      return `The value of "${column}" is ${value.length} characters, more than the ${maxValueLength} Genesys accepts (an import would drop the row silently)`;
    }
  }
  if (contact.id.length > maxValueLength) {
    return `The contact id is ${contact.id.length} characters, more than ${maxValueLength}`;
  }
  return undefined;
}

/** Appends lines to the import file, flushing every `chunkBytes` (default 256 KiB). */
export class ImportFileWriter {
  private pending: string[] = [];
  private pendingChars = 0;
  private bytesWritten = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly chunkChars: number,
  ) {}

  /** Creates (truncates) the file and writes the header line. */
  static async create(
    path: string,
    columns: readonly string[],
    chunkChars = 256 * 1024,
  ): Promise<ImportFileWriter> {
    const writer = new ImportFileWriter(await open(path, 'w'), chunkChars);
    await writer.writeLine(columns);
    return writer;
  }

  /** Adds one line; awaits a disk write only when the buffer is full. */
  async writeLine(cells: readonly string[]): Promise<void> {
    const line = importLine(cells);
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= this.chunkChars) await this.flush();
  }

  /** Writes what is buffered, fsyncs and closes; returns the file size in bytes. */
  async close(): Promise<number> {
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
    return this.bytesWritten;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    await this.handle.write(buffer);
    this.bytesWritten += buffer.length;
  }
}

/**
 * Reads the import file back as `{id, data}` contacts (data = the list columns only), in file
 * order, streaming. Used to record the rows of a failed import with their data, so they can be
 * fixed and retried like any failed rows.
 */
export async function* readImportFile(
  path: string,
  idColumn: string,
  listColumns: ReadonlySet<string>,
): AsyncGenerator<EngineContact> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true });
  stream.pipe(parser);
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    const data: Record<string, string> = {};
    for (const [column, value] of Object.entries(record)) {
      if (listColumns.has(column)) data[column] = value;
    }
    yield { id: record[idColumn] ?? '', data };
  }
}
