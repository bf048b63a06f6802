import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { Row, Workbook } from 'exceljs';
import { CsvFileError } from './errors';
import { loadExcelJs } from './exceljs-loader';
import type { RawRecord, RecordProgress } from './raw-record';
import { cancelled } from './text-records';
import { cellText } from './xlsx-cells';

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
 * Lets go of a sheet read only in part or not at all. A sheet stored before the workbook's part
 * list is buffered by exceljs in a temp file, handed over as a read stream on it, and the file is
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
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, READER_OPTIONS);
  const withData = new Set<string>();
  try {
    for await (const worksheet of reader) {
      const sheet = worksheet as unknown as SheetReader;
      if (await hasRow(sheet)) withData.add(sheet.name ?? '');
      releaseSheet(sheet);
    }
  } catch (error) {
    if (!partsOutOfOrder(reader)) throw unreadable(path, error);
    return listWholeWorkbookSheets(path);
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

/** One sheet as either reader gives it: its name, visibility and rows in batches. */
interface SheetRows {
  name: string;
  state: string | undefined;
  rows: () => AsyncIterable<Row[]>;
}

/**
 * Streams the non-blank rows of one sheet as records (row numbers are the sheet's own), one
 * batch per parsed chunk of XML. Cells are read as the consultant sees them (`cellText`); a
 * row's values start at column A. Throws CsvFileError 'no-sheet' when the sheet asked for does
 * not exist or no sheet has data, 'unreadable' when the file is not a valid workbook.
 */
export async function* readXlsxRecords(
  path: string,
  options: XlsxReadOptions,
  state: XlsxReadState,
): AsyncGenerator<RawRecord[]> {
  const ExcelJS = await loadExcelJs();
  // Progress reads the stream's own byte count: a 'data' listener would start the stream
  // flowing before the reader is piped to it, and lose what it read meanwhile.
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, READER_OPTIONS);
  const picked = { chosen: false };
  try {
    const streamed = streamedSheets(reader, state);
    yield* pickSheet(path, streamed, options, state, picked, () => file.bytesRead);
  } catch (error) {
    // a cancel or a sheet error of our own stands; a workbook already partly read is not
    // read again (its rows would come twice)
    const ownError = error instanceof CsvFileError;
    if (ownError || picked.chosen || !partsOutOfOrder(reader)) throw unreadable(path, error);
    file.destroy();
    const whole = await loadWholeWorkbook(path);
    state.sheets = whole.worksheets.map((sheet) => sheet.name);
    const size = (await stat(path)).size;
    yield* pickSheet(path, wholeWorkbookSheets(whole), options, state, picked, () => size);
  } finally {
    file.destroy();
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
 * Whether the streaming reader failed because the workbook's part list (xl/workbook.xml) comes
 * after its sheets in the zip: exceljs's streaming reader then reaches the sheets without the
 * list and cannot name them. Excel stores the list first; some writers (exceljs itself, with a
 * few sheets) store it last. Such a workbook is read whole instead (docs/ARCHITECTURE.md,
 * "Workbooks").
 */
function partsOutOfOrder(reader: unknown): boolean {
  return (reader as WorkbookModel).model === undefined;
}

async function loadWholeWorkbook(path: string): Promise<Workbook> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  return workbook;
}

/** Batches of rows a loaded workbook's sheets hold, in workbook order. */
async function* wholeWorkbookSheets(workbook: Workbook): AsyncGenerator<SheetRows> {
  for (const worksheet of workbook.worksheets) {
    yield {
      name: worksheet.name,
      state: worksheet.state,
      rows: async function* () {
        const rows: Row[] = [];
        worksheet.eachRow((row) => rows.push(row));
        for (let start = 0; start < rows.length; start += WHOLE_BATCH_ROWS)
          yield rows.slice(start, start + WHOLE_BATCH_ROWS);
      },
    };
  }
}

async function listWholeWorkbookSheets(path: string): Promise<SheetSummary[]> {
  const workbook = await loadWholeWorkbook(path);
  return workbook.worksheets.map((worksheet) => {
    let hasData = false;
    worksheet.eachRow((row) => {
      hasData ||= rowValues(row).some((cell) => cell !== '');
    });
    return { name: worksheet.name, hidden: worksheet.state !== 'visible', hasData };
  });
}

/** Rows per batch when a loaded workbook is read (the streaming reader's chunks are similar). */
const WHOLE_BATCH_ROWS = 1000;

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
