import { Readable } from 'node:stream';
import type { Row } from 'exceljs';
import { CsvFileError } from './errors';
import { loadExcelJs } from './exceljs-loader';
import type { RawRecord, RecordProgress } from './raw-record';
import { cancelled } from './text-records';
import { cellText } from './xlsx-cells';
import { checkSharedStrings } from './xlsx-memory';
import { openWorkbookStream } from './xlsx-part-order';
import type { WorkbookStream } from './xlsx-part-order';

/** One sheet of a workbook, in workbook order. */
export interface SheetSummary {
  name: string;
  hidden: boolean;
  /** The sheet holds at least one non-empty cell. */
  hasData: boolean;
}

/** Options of one pass over a workbook. */
export interface XlsxReadOptions {
  /** The sheet to read; default the first visible sheet with data (else the first with data). */
  sheet?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
}

/** What the reader learnt before the first row: filled in before the first batch is yielded. */
export interface XlsxReadState {
  sheet: string;
  sheets: string[];
}

/** The parts of exceljs's streaming worksheet reader used here (its typings omit `name`). */
interface SheetReader {
  name?: string;
  state?: string;
  /** The stream the sheet's XML is parsed from (a read stream on exceljs's temp file, or the zip entry). */
  iterator?: unknown;
  parse(): AsyncIterable<Array<{ eventType: string; value: unknown }>>;
}

/**
 * Lets go of a sheet read only in part or not at all. A sheet met before the workbook's shared
 * strings (a workbook without any, read in the order xlsx-part-order.ts gives) is buffered by
 * exceljs in a temp file, handed over as a read stream on it, and the file is
 * deleted as soon as the reader moves on: a stream nobody read may then fail to open (ENOENT) with
 * no one listening, which Node turns into an uncaught error. The stream is closed instead, and an
 * error it still reports is of no interest (the sheet was not wanted).
 */
function releaseSheet(sheet: SheetReader): void {
  const stream = sheet.iterator;
  if (!(stream instanceof Readable)) return;
  stream.on('error', () => undefined);
  stream.destroy();
}
interface WorkbookModel {
  model?: { sheets?: Array<{ name: string; state?: string }> };
}

const READER_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  // Styles are needed for number formats (dates, zero-padded ZIP codes).
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
} as const;

/**
 * Lists a workbook's sheets with whether each has data, reading each sheet only up to its first
 * non-empty row (the rest is decompressed and skipped, never parsed or held).
 */
export async function listSheets(path: string): Promise<SheetSummary[]> {
  const ExcelJS = await loadExcelJs();
  const file = await openWorkbook(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file.stream, READER_OPTIONS);
  const withData = new Set<string>();
  try {
    for await (const worksheet of reader) {
      const sheet = worksheet as unknown as SheetReader;
      if (await hasRow(sheet)) withData.add(sheet.name ?? '');
      releaseSheet(sheet);
    }
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    file.stream.destroy();
  }
  const sheets = (reader as unknown as WorkbookModel).model?.sheets ?? [];
  return sheets.map((sheet) => ({
    name: sheet.name,
    hidden: sheet.state !== undefined && sheet.state !== 'visible',
    hasData: withData.has(sheet.name),
  }));
}

async function hasRow(sheet: SheetReader): Promise<boolean> {
  for await (const events of sheet.parse()) {
    for (const event of events) {
      if (event.eventType === 'row' && rowValues(event.value as Row).some((cell) => cell !== ''))
        return true;
    }
  }
  return false;
}

/** One sheet as the reader gives it: its name, visibility and rows in batches. */
interface SheetRows {
  name: string;
  state: string | undefined;
  rows: () => AsyncIterable<Row[]>;
}

/**
 * Streams the non-blank rows of one sheet as records (row numbers are the sheet's own), one
 * batch per parsed chunk of XML. Cells are read as the consultant sees them (`cellText`); a
 * row's values start at column A. Throws CsvFileError 'no-sheet' when the sheet asked for does
 * not exist or no sheet has data, 'unreadable' when the file is not a valid workbook,
 * 'too-large' when its shared strings do not fit in this thread's memory (xlsx-memory.ts).
 */
export async function* readXlsxRecords(
  path: string,
  options: XlsxReadOptions,
  state: XlsxReadState,
): AsyncGenerator<RawRecord[]> {
  const ExcelJS = await loadExcelJs();
  const file = await openWorkbook(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file.stream, READER_OPTIONS);
  const picked = { chosen: false };
  try {
    const streamed = streamedSheets(reader, state);
    yield* pickSheet(path, streamed, options, state, picked, file.bytesRead);
  } catch (error) {
    throw unreadable(path, error); // a cancel or a sheet error of our own stands
  } finally {
    file.stream.destroy();
  }
  if (!picked.chosen) {
    const names = state.sheets.map((sheetName) => `"${sheetName}"`).join(', ');
    throw new CsvFileError(
      'no-sheet',
      path,
      options.sheet === undefined
        ? `${path} has no sheet with data (sheets: ${names || 'none'})`
        : `${path} has no sheet named "${options.sheet}" (sheets: ${names || 'none'})`,
    );
  }
  if (options.signal?.aborted) throw cancelled(path);
}

/** The sheet the options name (or the first visible one with data), its rows as records. */
async function* pickSheet(
  path: string,
  sheets: AsyncIterable<SheetRows>,
  options: XlsxReadOptions,
  state: XlsxReadState,
  picked: { chosen: boolean },
  bytesRead: () => number,
): AsyncGenerator<RawRecord[]> {
  let rowsRead = 0;
  for await (const sheet of sheets) {
    const { name } = sheet;
    if (picked.chosen) continue; // later sheets are skipped unread
    if (options.sheet !== undefined && name !== options.sheet) continue;
    if (options.sheet === undefined && sheet.state !== undefined && sheet.state !== 'visible')
      continue;
    for await (const rows of sheet.rows()) {
      if (options.signal?.aborted) throw cancelled(path);
      const records: RawRecord[] = [];
      for (const row of rows) {
        const values = rowValues(row);
        if (!values.some((cell) => cell !== '')) continue;
        records.push({ rowNumber: row.number, values, quoteError: undefined });
      }
      if (records.length === 0) continue;
      if (!picked.chosen) {
        picked.chosen = true;
        state.sheet = name;
        rowsRead -= 1; // the header is not a data row
      }
      rowsRead += records.length;
      yield records;
      options.onProgress?.({ bytesRead: bytesRead(), rowsRead });
    }
    // An empty sheet that was asked for by name is still the one: its emptiness is reported.
    if (options.sheet !== undefined && !picked.chosen) {
      picked.chosen = true;
      state.sheet = name;
    }
  }
}

/** The streaming reader's sheets, in the order the file stores them. */
async function* streamedSheets(
  reader: AsyncIterable<unknown>,
  state: XlsxReadState,
): AsyncGenerator<SheetRows> {
  for await (const worksheet of reader) {
    const sheet = worksheet as unknown as SheetReader;
    state.sheets = ((reader as unknown as WorkbookModel).model?.sheets ?? []).map(
      (entry) => entry.name,
    );
    try {
      yield {
        name: sheet.name ?? '',
        state: sheet.state,
        rows: async function* () {
          for await (const events of sheet.parse()) {
            const rows: Row[] = [];
            for (const event of events)
              if (event.eventType === 'row') rows.push(event.value as Row);
            yield rows;
          }
        },
      };
    } finally {
      releaseSheet(sheet); // skipped, or read to its end (then closing is a no-op)
    }
  }
}

/**
 * The workbook's bytes in the order the streaming reader needs (xlsx-part-order.ts); a file that
 * is not a zip at all is refused as unreadable, one whose shared strings this thread cannot hold
 * as too large (xlsx-memory.ts).
 */
async function openWorkbook(path: string): Promise<WorkbookStream> {
  let file: WorkbookStream;
  try {
    file = await openWorkbookStream(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    checkSharedStrings(path, file.sharedStringsBytes);
  } catch (error) {
    file.stream.destroy();
    throw error;
  }
  return file;
}

/** A row's cells as text from column A to its last cell (missing cells are empty). */
function rowValues(row: Row): string[] {
  const values: string[] = [];
  row.eachCell((cell, column) => {
    while (values.length < column - 1) values.push('');
    values.push(cellText(cell.value, cell.numFmt));
  });
  return values;
}

function unreadable(path: string, error: unknown): CsvFileError {
  if (error instanceof CsvFileError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new CsvFileError(
    'unreadable',
    path,
    `${path} cannot be read as an Excel workbook (.xlsx): ${detail}. Save it again from Excel as "Excel Workbook (.xlsx)" or as CSV.`,
  );
}
