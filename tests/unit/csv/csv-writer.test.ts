import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvWriter } from '../../../core/csv/csv-writer';
import type { CsvWriterOptions } from '../../../core/csv/csv-writer';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'sluice-csv-writer-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Writes the rows in batches of `batch` (awaiting back-pressure between them) and returns the file's bytes. */
async function written(
  rows: readonly string[][],
  options: CsvWriterOptions = {},
  batch = 3,
): Promise<Buffer> {
  const path = join(folder, `out-${Math.random().toString(36).slice(2)}.csv`);
  const writer = new CsvWriter(path, options);
  for (let index = 0; index < rows.length; index += 1) {
    writer.writeRow(rows[index]!);
    if (index % batch === batch - 1) {
      await writer.flushIfFull();
      // Let the file stream finish writes between batches, as a preparation reading its next
      // chunk does, so the writer reuses buffers the stream is done with.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await writer.close();
  return readFileSync(path);
}

const text = async (rows: string[][], options?: CsvWriterOptions): Promise<string> =>
  (await written(rows, options)).toString('utf8');

describe('CsvWriter', () => {
  it('quotes a cell that is only a quote, and doubles it', async () => {
    expect(await text([['"'], ['a"b', 'x']])).toBe('""""\r\n"a""b",x\r\n');
  });

  it('quotes delimiters, line breaks and edge spaces, and nothing else', async () => {
    const rows = [
      ['12 Main St, Apt 4', 'line\nbreak', 'cr\rhere', ' lead', 'trail ', 'in side', ''],
      ['\u00a0nbsp', 'Chloé', 'Müller, Günter', "O'Brien", 'plain'],
    ];
    expect(await text(rows)).toBe(
      '"12 Main St, Apt 4","line\nbreak","cr\rhere"," lead","trail ",in side,\r\n' +
        '"\u00a0nbsp",Chloé,"Müller, Günter",O\'Brien,plain\r\n',
    );
  });

  it('quotes the chosen delimiter rather than a comma', async () => {
    expect(await text([['a;b', 'c,d', 'é;']], { delimiter: ';' })).toBe('"a;b";c,d;"é;"\r\n');
  });

  it('neutralises formula-like cells when formula-safe, plain signed numbers left alone', async () => {
    const rows = [['=SUM(1)', '@x', '+1-2', '-A1', '\tx', '+17735552000', '-12.5', 'a=b']];
    expect(await text(rows, { formulaSafe: true })).toBe(
      "'=SUM(1),'@x,'+1-2,'-A1,'\tx,+17735552000,-12.5,a=b\r\n",
    );
    // Without formulaSafe (the clean upload file) the values are written as they are.
    // (a leading tab is an edge space, so it is quoted either way).
    expect(await text(rows)).toBe('=SUM(1),@x,+1-2,-A1,"\tx",+17735552000,-12.5,a=b\r\n');
  });

  it('starts with a BOM when asked', async () => {
    const bytes = await written([['a']], { bom: true });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('a\r\n');
  });

  it('never cuts a multi-byte character at a buffer boundary', async () => {
    // With a 16-byte buffer, each row below ends its buffer mid-way through a 2-, 3- or 4-byte
    // character unless the writer hands the buffer over before the cell.
    const rows = [
      ['abcdefghijklm', 'é'],
      ['abcdefghijkl', '€uro'],
      ['abcdefghijk', '😀smile'],
      ['😀😀😀😀', 'Ωmega, quoted'],
      ['a "long" cell far longer than the sixteen-byte buffer, with é and 😀'],
    ];
    const expected =
      'abcdefghijklm,é\r\nabcdefghijkl,€uro\r\nabcdefghijk,😀smile\r\n😀😀😀😀,"Ωmega, quoted"\r\n' +
      '"a ""long"" cell far longer than the sixteen-byte buffer, with é and 😀"\r\n';
    const bytes = await written(rows, { bufferBytes: 16 }, 1);
    expect(bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('writes any mix of cells so that a CSV parser reads them back unchanged', async () => {
    // Deterministic pseudo-random cells over the characters that matter to quoting and encoding.
    const alphabet = ['a', 'Z', '7', ' ', ',', ';', '"', '\r', '\n', '\r\n', 'é', '€', '😀', '\t'];
    let seed = 42;
    const next = (limit: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    const rows = Array.from({ length: 400 }, () =>
      Array.from({ length: 1 + next(5) }, () =>
        Array.from({ length: next(12) }, () => alphabet[next(alphabet.length)]).join(''),
      ),
    );
    for (const bufferBytes of [16, 37, 4096]) {
      const output = (await written(rows, { bufferBytes }, 7)).toString('utf8');
      const parsed = Papa.parse<string[]>(output, { delimiter: ',', newline: '\r\n' });
      expect(parsed.errors).toEqual([]);
      // The file ends with a line break, which the parser reads as one last empty row.
      expect(parsed.data.slice(0, -1)).toEqual(rows);
    }
  });

  it('reports a file it cannot write with its path', async () => {
    const path = join(folder, 'missing-folder', 'out.csv');
    const writer = new CsvWriter(path);
    writer.writeRow(['a']);
    await expect(writer.close()).rejects.toThrow(`Cannot write ${path} (ENOENT)`);
  });
});
