import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalWriter } from '../../../../core/engine/journal/journal';
import { SettledJournal } from '../../../../core/engine/journal/settled-journal';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A run folder whose journal holds rows 1–2 uploaded, 3–4 failed, 5 rejected, 6 a repeated id. */
function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-settled-'));
  dirs.push(dir);
  const writer = JournalWriter.open(dir);
  writer.record({ t: 'uploaded', batch: 'b1', rows: [[1, 2]] });
  writer.record({
    t: 'failed',
    batch: 'b2',
    rows: [
      { row: 3, status: 503, reason: 'Gave up', contactId: 'c3', data: { Email: 'c3' } },
      { row: 4, status: 503, reason: 'Gave up', contactId: 'c4', data: { Email: 'c4' } },
    ],
  });
  writer.record({
    t: 'rejected',
    batch: 'b3',
    rows: [{ row: 5, status: 400, reason: 'Bad phone', code: 'phone', data: { Email: 'c5' } }],
  });
  writer.record({
    t: 'skipped',
    rows: [{ row: 6, status: 0, reason: 'Same contact id as row 1' }],
  });
  writer.close();
  return dir;
}

const journalLines = (dir: string) =>
  readFileSync(join(dir, 'journal.ndjson'), 'utf8').trim().split('\n');

describe('SettledJournal skip and unskip', () => {
  it('skips failed and rejected rows, and unskip gives each its earlier outcome, reason and data back', () => {
    const dir = journalDir();
    const journal = SettledJournal.read(dir);
    expect(journal.skip([1, 3, 4, 5], 'Not needed')).toEqual([3, 4, 5]);
    expect(journal.counts()).toEqual({ uploaded: 2, rejected: 0, failed: 0, skipped: 4 });

    // Read again from disk: what the skip appended is the truth, not the object in memory.
    const reread = SettledJournal.read(dir);
    expect(reread.unskip([3, 5, 2])).toEqual({ failed: 1, rejected: 1 });
    expect(reread.counts()).toEqual({ uploaded: 2, rejected: 1, failed: 1, skipped: 2 });
    expect(reread.invariant(6).holds).toBe(true);

    const after = SettledJournal.read(dir);
    expect(after.rowsWith('failed')).toEqual([
      { row: 3, status: 503, reason: 'Gave up', contactId: 'c3', data: { Email: 'c3' } },
    ]);
    expect(after.rowsWith('rejected')).toEqual([
      { row: 5, status: 400, reason: 'Bad phone', code: 'phone', data: { Email: 'c5' } },
    ]);
    expect(after.rowsWith('skipped').map((row) => row.row)).toEqual([4, 6]);
    expect(after.invariant(6).holds).toBe(true);
  });

  it('appends records and never rewrites the journal', () => {
    const dir = journalDir();
    const before = journalLines(dir);
    SettledJournal.read(dir).skip([3, 4], 'Not needed');
    SettledJournal.read(dir).unskip([3, 4]);
    const after = journalLines(dir);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((line) => JSON.parse(line).t)).toEqual([
      'skipped',
      'failed',
    ]);
    expect(JSON.parse(after.at(-1)!)).toMatchObject({ batch: expect.stringMatching(/^unskip-/) });
  });

  it('leaves alone rows the run itself skipped, rows not skipped, and writes nothing then', () => {
    const dir = journalDir();
    const before = journalLines(dir);
    const journal = SettledJournal.read(dir);
    // row 6 was skipped by the run (a repeated contact id): sending it would write a contact twice
    expect(journal.unskip([6, 1, 3])).toEqual({ failed: 0, rejected: 0 });
    expect(journalLines(dir)).toEqual(before);
    expect(journal.outcomeOf(6)).toBe('skipped');
  });

  it('a row skipped, unskipped and skipped again comes back as it was first', () => {
    const dir = journalDir();
    SettledJournal.read(dir).skip([3], 'first');
    SettledJournal.read(dir).unskip([3]);
    SettledJournal.read(dir).skip([3], 'second');
    const journal = SettledJournal.read(dir);
    expect(journal.rowsWith('skipped').find((row) => row.row === 3)?.reason).toBe('second');
    journal.unskip([3]);
    expect(SettledJournal.read(dir).rowsWith('failed')[0]).toEqual({
      row: 3,
      status: 503,
      reason: 'Gave up',
      contactId: 'c3',
      data: { Email: 'c3' },
    });
  });
});
