import { getHeapStatistics } from 'node:v8';
import { CsvFileError } from './errors';

/**
 * Heap needed per byte of xl/sharedStrings.xml, with room to spare. exceljs's streaming reader
 * keeps every shared string in memory while it reads a sheet (a cell holds only the string's
 * index), as strings of their own plus the parser's leftovers. Measured by preparing workbooks of
 * unique ids and emails in the prepare worker (old generation capped at 64 MB, a heap limit of
 * 112 MB; a machine busy with other work): tables of 6.1 MB read in 9 s, 9.2 MB in 46 s,
 * 10.8 MB in 68 s and 12.4 MB in 60 s (the collector at work all along); 18.7 MB ran the worker
 * out of memory. 112 / 12 = 9.3 MB: read, if slowly, and half the size that failed.
 */
export const HEAP_BYTES_PER_SHARED_STRING_BYTE = 12;

/** The largest shared-strings table this thread's heap can hold while a sheet is read (bytes). */
export function sharedStringsLimitBytes(
  heapLimitBytes: number = getHeapStatistics().heap_size_limit,
): number {
  return Math.floor(heapLimitBytes / HEAP_BYTES_PER_SHARED_STRING_BYTE);
}

/**
 * Refuses, before a row is read, a workbook whose shared strings this thread cannot hold: a
 * clear CsvFileError 'too-large' instead of a thread that runs out of memory part way.
 */
export function checkSharedStrings(path: string, sharedStringsBytes: number): void {
  const limitBytes = sharedStringsLimitBytes();
  if (sharedStringsBytes <= limitBytes) return;
  throw new CsvFileError(
    'too-large',
    path,
    `${path} keeps its text in one shared table of ${megabytes(sharedStringsBytes)} MB that must be held in memory while a sheet is read; Sluice can hold ${megabytes(limitBytes)} MB here. Save the sheet as CSV (in Excel: File > Save As > "CSV UTF-8") and use the CSV file.`,
  );
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
