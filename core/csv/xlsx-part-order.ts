import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

/**
 * The parts exceljs's streaming reader must meet before any sheet, in the order it needs them:
 * the sheet list and its relations (to name the sheets), the shared strings and the styles (to
 * read cells and number formats). Excel stores them first; some writers (exceljs itself) store
 * them after the sheets (docs/ARCHITECTURE.md, "Workbooks").
 */
const LEADING_PARTS = [
  'xl/workbook.xml',
  'xl/_rels/workbook.xml.rels',
  'xl/sharedStrings.xml',
  'xl/styles.xml',
];
const SHEET_PART = /^xl\/worksheets\/sheet\d+\.xml$/;

/** One zip record (local header, data and data descriptor) and where the file stores it. */
interface ZipRecord {
  name: string;
  start: number;
  end: number;
  uncompressedBytes: number;
}

/** A workbook's bytes as a stream in the order the streaming reader needs, and how far it got. */
export interface WorkbookStream {
  stream: Readable;
  /**
   * Bytes of the file passed to the reader so far (the file's size once it is read), counted
   * where the file is read: a 'data' listener would start the stream flowing before the reader
   * is piped to it, and lose what it read meanwhile.
   */
  bytesRead: () => number;
  /** Whether the file's own order was changed (its leading parts came after a sheet). */
  reordered: boolean;
  /** Uncompressed size of xl/sharedStrings.xml, 0 when there is none. */
  sharedStringsBytes: number;
}

/**
 * Opens a workbook for exceljs's streaming reader. A file that stores its leading parts before
 * its sheets is read as it is. Otherwise its zip records are read in another order: the leading
 * parts first, then every other record as stored, then the central directory. Each record is
 * copied byte for byte (a zip's records stand alone; the reader does not use the directory's
 * offsets), so nothing is decompressed twice and nothing is held in memory: the sheets stream
 * straight from the file. Throws what yauzl throws when the file is not a readable zip.
 */
export async function openWorkbookStream(path: string): Promise<WorkbookStream> {
  const { records, fileBytes } = await readRecords(path);
  const sharedStrings = records.find((record) => record.name === 'xl/sharedStrings.xml');
  const sharedStringsBytes = sharedStrings?.uncompressedBytes ?? 0;
  const firstSheet = Math.min(
    ...records.filter((record) => SHEET_PART.test(record.name)).map((record) => record.start),
  );
  const leading = LEADING_PARTS.flatMap((name) => records.filter((record) => record.name === name));
  if (leading.every((record) => record.start < firstSheet)) {
    const file = createReadStream(path, { highWaterMark: 256 * 1024 });
    return { stream: file, bytesRead: () => file.bytesRead, reordered: false, sharedStringsBytes };
  }
  const rest = records.filter((record) => !leading.includes(record));
  const tailStart = Math.max(...records.map((record) => record.end));
  const ranges = [...leading, ...rest, { start: tailStart, end: fileBytes }];
  const counter = { bytes: 0 };
  const stream = Readable.from(readRanges(path, ranges, counter), { objectMode: false });
  return { stream, bytesRead: () => counter.bytes, reordered: true, sharedStringsBytes };
}

async function* readRanges(
  path: string,
  ranges: Array<{ start: number; end: number }>,
  counter: { bytes: number },
): AsyncGenerator<Buffer> {
  for (const { start, end } of ranges) {
    if (end <= start) continue;
    const part = createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 });
    try {
      for await (const chunk of part as AsyncIterable<Buffer>) {
        counter.bytes += chunk.length;
        yield chunk;
      }
    } finally {
      part.destroy();
    }
  }
}

/** Every record of the zip, in the order the file stores them, from its central directory. */
async function readRecords(path: string): Promise<{ records: ZipRecord[]; fileBytes: number }> {
  const zip = await openZip(path);
  const handle = await open(path, 'r');
  try {
    const entries = await readEntries(zip);
    const records: ZipRecord[] = [];
    for (const entry of entries) records.push(await recordOf(handle, entry));
    records.sort((left, right) => left.start - right.start);
    return { records, fileBytes: (await handle.stat()).size };
  } finally {
    zip.close();
    await handle.close();
  }
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error) reject(error);
      else resolve(zip);
    });
  });
}

function readEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
/** General purpose flag bit 3: sizes and CRC follow the data in a data descriptor. */
const HAS_DESCRIPTOR = 0x08;

/**
 * Where a record ends: its local header (30 bytes, then its own name and extra field, which may
 * differ from the directory's), the compressed data, then a data descriptor when flag bit 3 is
 * set (an optional signature, the CRC, and the two sizes in 4 bytes each, 8 for zip64).
 */
async function recordOf(handle: FileHandle, entry: Entry): Promise<ZipRecord> {
  const start = entry.relativeOffsetOfLocalHeader;
  const header = Buffer.alloc(30);
  await handle.read(header, 0, 30, start);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE)
    throw new Error(`the zip record of ${entry.fileName} is damaged`);
  const dataStart = start + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  let end = dataStart + entry.compressedSize;
  if (entry.generalPurposeBitFlag & HAS_DESCRIPTOR) {
    const signature = Buffer.alloc(4);
    await handle.read(signature, 0, 4, end);
    const zip64 = entry.compressedSize >= 0xffffffff || entry.uncompressedSize >= 0xffffffff;
    end += (signature.readUInt32LE(0) === DESCRIPTOR_SIGNATURE ? 4 : 0) + (zip64 ? 20 : 12);
  }
  return { name: entry.fileName, start, end, uncompressedBytes: entry.uncompressedSize };
}
