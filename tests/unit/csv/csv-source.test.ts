import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../../core/csv/csv-source';
import type { CsvProgress } from '../../../core/csv/csv-source';
import { detectEncoding } from '../../../core/csv/decode';
import { detectDelimiter, detectNewline } from '../../../core/csv/delimiter';
import { CsvFileError } from '../../../core/csv/errors';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-csv-source-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, content);
  return path;
}

describe('openCsv', () => {
  it('streams rows with Excel row numbers, reports progress in bytes and rows', async () => {
    const lines = [
      'Name,Phone',
      ...Array.from(
        { length: 500 },
        (_v, index) => `Person ${index},+1212555${String(index).padStart(4, '0')}`,
      ),
    ];
    const path = await file('progress.csv', `${lines.join('\n')}\n`);
    const progress: CsvProgress[] = [];
    const source = await openCsv(path, {
      chunkBytes: 1024,
      onProgress: (update) => progress.push(update),
    });
    const numbers: number[] = [];
    for await (const row of source) numbers.push(row.rowNumber);
    expect(numbers).toHaveLength(500);
    expect(numbers[0]).toBe(2);
    expect(numbers.at(-1)).toBe(501);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toEqual({
      bytesRead: source.totalBytes,
      totalBytes: source.totalBytes,
      rowsRead: 500,
    });
    const bytes = progress.map((update) => update.bytesRead);
    expect([...bytes].sort((a, b) => a - b)).toEqual(bytes);
  });

  it('stops when cancelled, with a cancelled error', async () => {
    const path = await file('cancel.csv', `Name\n${'x\n'.repeat(20_000)}`);
    const controller = new AbortController();
    const source = await openCsv(path, { chunkBytes: 512, signal: controller.signal });
    let rows = 0;
    const reading = (async () => {
      for await (const _row of source) {
        rows += 1;
        if (rows === 100) controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ reason: 'cancelled' });
    expect(rows).toBeLessThan(20_000);
  });

  it('names the file in file-level errors', async () => {
    await expect(openCsv(join(folder, 'missing.csv'))).rejects.toThrow(
      /missing\.csv does not exist/,
    );
    await expect(openCsv(folder)).rejects.toBeInstanceOf(CsvFileError);
  });

  it('can be iterated only once', async () => {
    const source = await openCsv(await file('once.csv', 'A\n1\n'));
    for await (const _row of source) void _row;
    await expect(
      (async () => {
        for await (const _row of source) void _row;
      })(),
    ).rejects.toThrow(/only once/);
  });
});

describe('detection', () => {
  it('detects encodings from BOMs and bytes', () => {
    expect(detectEncoding(Buffer.from('Name\nJosé\n'), true)).toEqual({
      kind: 'text',
      encoding: 'utf-8',
      hasBom: false,
    });
    expect(
      detectEncoding(
        Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0x4a, 0x6f, 0x73, 0xe9, 0x0a]),
        true,
      ),
    ).toEqual({ kind: 'text', encoding: 'windows-1252', hasBom: false });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0x00]), true)).toMatchObject({
      encoding: 'utf-16le',
    });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x41]), true)).toMatchObject({
      encoding: 'utf-16be',
    });
    expect(detectEncoding(Buffer.from('  \r\n'), true)).toEqual({ kind: 'empty' });
    expect(detectEncoding(Buffer.from([0x41, 0x00, 0x42]), true)).toMatchObject({ kind: 'binary' });
  });

  it('does not mistake a UTF-8 character cut by the sample boundary for Latin-1', () => {
    const cut = Buffer.from('Name\nJosé', 'utf8').subarray(0, -1);
    expect(detectEncoding(cut, false)).toMatchObject({ encoding: 'utf-8' });
    expect(detectEncoding(cut, true)).toMatchObject({ encoding: 'windows-1252' });
  });

  it('detects delimiters, ignoring ones inside quotes', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
    expect(detectDelimiter('"x,y";b\n"1,2,3";2\n')).toBe(';');
    expect(detectDelimiter('Single\nvalue\n')).toBe(',');
  });

  it('detects line endings outside quotes', () => {
    expect(detectNewline('a,"x\ny"\r\n1,2\r\n')).toBe('\r\n');
    expect(detectNewline('a\rb\r')).toBe('\r');
    expect(detectNewline('a\nb')).toBe('\n');
  });
});
