import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalWriter, readJournal } from '../../../../core/engine/journal/journal';
import { fromRanges, toRanges } from '../../../../core/engine/journal/journal-records';
import { csvCell, settledRowsCsv } from '../../../../core/engine/run/run-files';

const root = mkdtempSync(join(tmpdir(), 'sluice-journal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('journal', () => {
  it('compresses row numbers into ranges and back', () => {
    expect(toRanges([5, 1, 2, 3, 9, 10, 3])).toEqual([
      [1, 3],
      [5, 5],
      [9, 10],
    ]);
    expect(
      fromRanges([
        [1, 3],
        [7, 7],
      ]),
    ).toEqual([1, 2, 3, 7]);
    // already in order (a batch's rows), repeats included: the same ranges, the list untouched
    const ascending = [1, 2, 2, 3, 7, 8];
    expect(toRanges(ascending)).toEqual([
      [1, 3],
      [7, 8],
    ]);
    expect(ascending).toEqual([1, 2, 2, 3, 7, 8]);
    const unordered = [8, 7, 1];
    expect(toRanges(unordered)).toEqual([
      [1, 1],
      [7, 8],
    ]);
    expect(unordered).toEqual([8, 7, 1]);
  });

  it('replays outcomes with the latest record winning', () => {
    const dir = join(root, 'a');
    mkdirSync(dir);
    const writer = JournalWriter.open(dir);
    writer.record({ t: 'session', event: 'start', at: 'now' });
    writer.record({ t: 'uploaded', batch: '1', rows: [[1, 3]] });
    writer.record({ t: 'failed', batch: '2', rows: [{ row: 4, reason: 'Gave up', status: 503 }] });
    writer.commit();
    writer.record({ t: 'uploaded', batch: '3', rows: [[4, 4]] });
    writer.record({
      t: 'rejected',
      batch: '4',
      rows: [{ row: 5, reason: 'bad', status: 400, code: 'x' }],
    });
    writer.close();
    const state = readJournal(dir);
    expect([...state.outcomes].sort()).toEqual([
      [1, 'uploaded'],
      [2, 'uploaded'],
      [3, 'uploaded'],
      [4, 'uploaded'],
      [5, 'rejected'],
    ]);
    expect(state.details.get(4)).toBeUndefined();
    expect(state.details.get(5)).toMatchObject({ reason: 'bad', code: 'x' });
    expect(state.sessions).toBe(1);
  });

  it('ignores a torn last line and cuts it off before appending', () => {
    const dir = join(root, 'b');
    mkdirSync(dir);
    const writer = JournalWriter.open(dir);
    writer.record({ t: 'uploaded', batch: '1', rows: [[1, 2]] });
    writer.close();
    appendFileSync(join(dir, 'journal.ndjson'), '{"t":"uploaded","batch":"2","ro');
    const state = readJournal(dir);
    expect(state.tornTail).toBe(true);
    expect(state.outcomes.size).toBe(2);
    const again = JournalWriter.open(dir);
    again.record({ t: 'uploaded', batch: '2', rows: [[3, 3]] });
    again.close();
    expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8').split('\n')).toHaveLength(3);
    expect(readJournal(dir).outcomes.size).toBe(3);
  });

  it('refuses a journal damaged in the middle', () => {
    const dir = join(root, 'c');
    mkdirSync(dir);
    appendFileSync(
      join(dir, 'journal.ndjson'),
      'garbage\n{"t":"uploaded","batch":"1","rows":[[1,1]]}\n',
    );
    expect(() => readJournal(dir)).toThrow(/damaged/);
  });
});

describe('row reports', () => {
  it('neutralises formulas and quotes what needs quoting', () => {
    expect(
      ['=1+1', '+33 1', '-5', '@SUM(A1)', '\tx', '\rx', 'plain', 'a,b', 'say "hi"'].map(csvCell),
    ).toEqual([
      "'=1+1",
      "'+33 1",
      '-5', // a plain signed number is a value to a spreadsheet, not a formula
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
      'plain',
      '"a,b"',
      '"say ""hi"""',
    ]);
  });

  it('writes reason columns then data columns, sorted by row', () => {
    const csv = settledRowsCsv([
      { row: 9, contactId: 'k9', reason: 'Too long', status: 400, data: { Phone: '=HYPERLINK()' } },
      { row: 2, reason: 'Network error', status: 0, correlationId: 'c-1', data: { Name: 'A' } },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'row,contactId,reason,status,code,correlationId,Phone,Name',
      '2,,Network error,0,,c-1,,A',
      "9,k9,Too long,400,,,'=HYPERLINK(),",
      '',
    ]);
  });
});
