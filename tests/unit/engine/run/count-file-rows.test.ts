import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CsvFileError, openCsv } from '../../../../core/csv';
import { countFileRows } from '../../../../core/engine/run/count-file-rows';
import { fileStamp } from '../../../../core/engine/run/file-rows';
import { writeContactsWorkbook } from '../../csv/xlsx-workbooks';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-count-rows-'));
  dirs.push(dir);
  return join(dir, name);
}

function tempFile(name: string, content: string | Buffer): string {
  const path = tempPath(name);
  writeFileSync(path, content);
  return path;
}

/** A CSV of `rows` data rows, each about 30 bytes, so a small read size takes many chunks. */
function contactsCsv(rows: number): string {
  const lines = ['Name,Phone,Email'];
  for (let n = 1; n <= rows; n += 1) lines.push(`Name ${n},+1317555${1000 + n},n${n}@x.test`);
  return `${lines.join('\n')}\n`;
}

/** The rows the run's reader gives for the file, one by one. */
async function rowsRead(path: string, sheet?: string): Promise<number> {
  let rows = 0;
  for await (const row of await openCsv(path, sheet ? { sheet } : {})) {
    void row;
    rows += 1;
  }
  return rows;
}

describe('countFileRows', () => {
  it('counts the rows as the run reads them, stamped with the size and mtime it read', async () => {
    // quoted line breaks, CRLF and a ragged row are still one row each
    const path = tempFile(
      'quoted.csv',
      'Name,Note\r\nAnn,"two\r\nlines"\r\nBob,plain\r\nCy,"a ""quote""",extra\r\n',
    );
    const counted = await countFileRows(path);
    expect(counted).toEqual({ rows: 3, ...fileStamp(path) });
    expect(await rowsRead(path)).toBe(3);
    // UTF-16 with a BOM: decoded as the run decodes it
    const utf16 = tempFile(
      'utf16.csv',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('Name\r\nÅsa\r\nBjörn\r\n', 'utf16le'),
      ]),
    );
    expect((await countFileRows(utf16))?.rows).toBe(2);
  });

  it("counts a workbook's chosen sheet, not its others", async () => {
    const workbook = tempPath('contacts.xlsx');
    await writeContactsWorkbook(workbook);
    const contacts = await countFileRows(workbook);
    expect(contacts?.rows).toBe(await rowsRead(workbook));
    const archive = await countFileRows(workbook, { sheet: 'Archive' });
    expect(archive?.rows).toBe(2);
    expect(archive?.rows).not.toBe(contacts?.rows);
  });

  it('gives no count for a file written to during the count', async () => {
    const text = contactsCsv(200);
    const untouched = tempFile('untouched.csv', text);
    let chunks = 0;
    const count = await countFileRows(untouched, {
      chunkBytes: 256,
      onProgress: () => (chunks += 1),
    });
    expect(chunks).toBeGreaterThan(3);
    expect(count).toEqual({ rows: 200, ...fileStamp(untouched) });

    // The same file, a row appended after the count's first chunk: the rows it counted are
    // neither the file's before nor after, so there is no count (the run reads to the end).
    const edited = tempFile('edited.csv', text);
    let appended = false;
    const editedCount = await countFileRows(edited, {
      chunkBytes: 256,
      onProgress: () => {
        if (appended) return;
        appended = true;
        appendFileSync(edited, 'Late,+13175559999,late@x.test\n');
      },
    });
    expect(appended).toBe(true);
    expect(editedCount).toBeUndefined();
  });

  it("fails on a file the run could not read with the reader's own error, and stops on a cancel", async () => {
    const missing = tempPath('gone.csv');
    const empty = tempFile('empty.csv', '');
    const binary = tempFile('binary.csv', Buffer.from([0x50, 0x4b, 0x00, 0x00, 0xff, 0x00, 0x01]));
    for (const path of [missing, empty, binary]) {
      const fromRun = await rowsRead(path).catch((error: unknown) => error);
      const fromCount = await countFileRows(path).catch((error: unknown) => error);
      expect(fromRun).toBeInstanceOf(CsvFileError);
      expect(fromCount).toBeInstanceOf(CsvFileError);
      expect((fromCount as CsvFileError).message).toBe((fromRun as CsvFileError).message);
    }
    const cancel = new AbortController();
    const path = tempFile('long.csv', contactsCsv(200));
    const cancelled = await countFileRows(path, {
      chunkBytes: 256,
      signal: cancel.signal,
      onProgress: () => cancel.abort(),
    }).catch((error: unknown) => error);
    expect(cancelled).toBeInstanceOf(CsvFileError);
    expect((cancelled as CsvFileError).reason).toBe('cancelled');
  });
});
