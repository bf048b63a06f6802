import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalSink, RunLedger } from '../../../../core/engine/journal/run-ledger';
import { failedRowsSource, RowIntake } from '../../../../core/engine/run/row-intake';
import type { SourceRow } from '../../../../core/engine/types';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function ledger(): RunLedger {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-intake-'));
  folders.push(dir);
  return new RunLedger(dir, openJournalSink(dir));
}

const row = (rowNumber: number, id: string, phone = '+13175550100'): SourceRow => ({
  rowNumber,
  ok: true,
  contact: { id, data: { Phone: phone } },
});

describe('RowIntake', () => {
  it('settles validation rejects, refusals of the strategy and repeated ids, and lets the rest through', () => {
    const books = ledger();
    const intake = new RowIntake(books, false, (contact) =>
      contact.data.Phone === 'too long'
        ? { batch: 'check', status: 0, reason: 'too long' }
        : undefined,
    );
    const taken = [
      intake.take(row(2, 'a')),
      intake.take({ rowNumber: 3, ok: false, reason: 'Phone is not a number' }),
      intake.take(row(4, 'a')),
      intake.take(row(5, 'b', 'too long')),
      intake.take(row(6, 'b')),
    ].map((accepted) => accepted?.rowNumber);
    // a refused row does not claim its id: row 6 is the first good row with id b
    expect(taken).toEqual([2, undefined, undefined, undefined, 6]);
    expect(books.totals()).toMatchObject({ rowsRead: 5, rejected: 2, skipped: 1, pending: 2 });
    expect(books.rowsWith('skipped')[0]?.reason).toMatch(/Same contact id "a" as row 2/);
  });

  it('applies no duplicate check to a retry of failed rows, and sends them in row order', async () => {
    const books = ledger();
    books.settle('failed', 'b1', [{ rowNumber: 9, contactId: 'x', data: { Phone: '1' } }], {
      status: 503,
      reason: 'gone',
    });
    books.settle('failed', 'b1', [{ rowNumber: 4, contactId: 'x', data: { Phone: '2' } }], {
      status: 503,
      reason: 'gone',
    });
    const retry = new RowIntake(books, true);
    const sent: number[] = [];
    for await (const source of failedRowsSource(books)) {
      const accepted = retry.take(source);
      if (accepted) sent.push(accepted.rowNumber);
    }
    expect(sent).toEqual([4, 9]);
  });

  it('reads only the failed rows asked for, when a retry names them', async () => {
    const books = ledger();
    for (const rowNumber of [3, 5, 8]) {
      books.settle(
        'failed',
        'b1',
        [{ rowNumber, contactId: `id${rowNumber}`, data: { Phone: '1' } }],
        { status: 503, reason: 'gone' },
      );
    }
    const read: number[] = [];
    // Row 7 is not failed: naming it sends nothing.
    for await (const source of failedRowsSource(books, [8, 3, 7])) read.push(source.rowNumber);
    expect(read).toEqual([3, 8]);
  });
});
