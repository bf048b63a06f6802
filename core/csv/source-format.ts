import { extname } from 'node:path';
import { CsvFileError } from './errors';
import { readSample } from './text-records';

/** The kinds of file Sluice reads rows from. */
export type SourceFormat = 'csv' | 'xlsx';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": every .xlsx is a zip archive
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // the legacy .xls (BIFF) container

const startsWith = (bytes: Buffer, magic: number[]): boolean =>
  magic.every((byte, index) => bytes[index] === byte);

/**
 * Tells a workbook from delimited text by its first bytes (so a renamed file is still read
 * right), the extension deciding only for an empty file. A legacy .xls workbook is refused with
 * what to do, as Sluice reads .xlsx and CSV.
 */
export async function detectSourceFormat(path: string): Promise<SourceFormat> {
  const head = await readSample(path, 8);
  if (startsWith(head, ZIP_MAGIC)) return 'xlsx';
  if (startsWith(head, OLE_MAGIC)) {
    throw new CsvFileError(
      'binary',
      path,
      `${path} is an old-style Excel workbook (.xls), which Sluice does not read: open it in Excel and save it as "Excel Workbook (.xlsx)" or as CSV`,
    );
  }
  if (head.length === 0 && /^\.xls[xm]$/i.test(extname(path))) return 'xlsx';
  return 'csv';
}

/** True when a path names a workbook to write (an output path ending in .xlsx). */
export function isXlsxPath(path: string): boolean {
  return extname(path).toLowerCase() === '.xlsx';
}
