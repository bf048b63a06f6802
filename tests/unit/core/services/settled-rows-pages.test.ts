import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JournalWriter } from '../../../../core/engine/journal/journal';
import type { SettledRow } from '../../../../core/engine/journal/journal-records';
import { RunFolder } from '../../../../core/engine/run/run-folder';
import { SettledRowsPages } from '../../../../core/services/settled-rows-pages';

/** Rows 2–1001 rejected (every tenth with phone "n/a"), rows 1002–1004 failed with HTTP 429. */
function writeJournal(runDir: string): void {
  const writer = JournalWriter.open(runDir);
  const rejected: SettledRow[] = [];
  for (let row = 1001; row >= 2; row -= 1) {
    const phone = row % 10 === 0 ? 'n/a' : 'call me';
    rejected.push({
      row,
      reason: `Work Phone '${phone}' is not a valid phone number`,
      status: 0,
      code: row % 2 === 0 ? 'phone.invalid' : 'phone.missing',
      data: { Email: `p${row}@example.com`, 'Work Phone': phone },
    });
  }
  writer.record({ t: 'rejected', batch: 'b1', rows: rejected });
  writer.record({
    t: 'failed',
    batch: 'b2',
    rows: [1002, 1003, 1004].map((row) => ({ row, reason: 'Too many requests', status: 429 })),
  });
  writer.close();
}

describe('SettledRowsPages', () => {
  let runDir: string;
  let folder: RunFolder;
  beforeEach(() => {
    runDir = mkdtempSync(join(tmpdir(), 'sluice-settled-pages-'));
    writeJournal(runDir);
    folder = new RunFolder(runDir, 'test');
  });
  afterEach(() => rmSync(runDir, { recursive: true, force: true }));

  it('pages the rows of one outcome in row order, with the counts for the filter choices', () => {
    const pages = new SettledRowsPages();
    const first = pages.page(folder, 'rejected', 0, 200);
    expect(first.rows.map((row) => row.row)).toEqual(
      Array.from({ length: 200 }, (_, index) => index + 2),
    );
    expect(first).toMatchObject({ total: 1000, outcomeTotal: 1000 });
    expect(first.facets).toEqual({
      statuses: [{ value: '0', rows: 1000 }],
      codes: [
        { value: 'phone.invalid', rows: 500 },
        { value: 'phone.missing', rows: 500 },
      ],
    });
    expect(pages.page(folder, 'rejected', 900, 200).rows.map((row) => row.row)).toEqual(
      Array.from({ length: 100 }, (_, index) => index + 902),
    );
    expect(pages.page(folder, 'failed', 0, 200)).toMatchObject({
      total: 3,
      facets: { statuses: [{ value: '429', rows: 3 }], codes: [] },
    });
  });

  it('filters on the host by text, status, code and row number', () => {
    const pages = new SettledRowsPages();
    const byText = pages.page(folder, 'rejected', 0, 50, { status: '', code: '', text: "'N/A'" });
    expect(byText).toMatchObject({ total: 100, outcomeTotal: 1000 });
    expect(byText.rows.map((row) => row.row).slice(0, 3)).toEqual([10, 20, 30]);
    expect(
      pages
        .page(folder, 'rejected', 50, 50, { status: '', code: '', text: "'n/a'" })
        .rows.map((row) => row.row)
        .slice(0, 2),
    ).toEqual([510, 520]);
    expect(
      pages.page(folder, 'rejected', 0, 10, { status: '', code: 'phone.missing', text: "'n/a'" })
        .total,
    ).toBe(0);
    expect(
      pages.page(folder, 'rejected', 0, 10, { status: '0', code: 'phone.missing', text: '' }).total,
    ).toBe(500);
    expect(pages.page(folder, 'failed', 0, 10, { status: '0', code: '', text: '' }).total).toBe(0);
    expect(
      pages
        .page(folder, 'rejected', 0, 10, { status: '', code: '', text: '777' })
        .rows.map((row) => row.row),
    ).toEqual([777]);
  });

  it('reads the journal once while it is unchanged, and again after it changes', () => {
    const pages = new SettledRowsPages();
    const reads = vi.spyOn(folder, 'settledRows');
    for (let offset = 0; offset < 1000; offset += 200) pages.page(folder, 'rejected', offset, 200);
    pages.page(folder, 'rejected', 0, 200, { status: '', code: '', text: 'n/a' });
    expect(reads).toHaveBeenCalledTimes(1);

    const writer = JournalWriter.open(runDir);
    writer.record({ t: 'skipped', rows: [{ row: 2, reason: 'Not a customer', status: 0 }] });
    writer.close();
    const after = pages.page(folder, 'rejected', 0, 1);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(after).toMatchObject({ total: 999, rows: [{ row: 3 }] });
    expect(pages.page(folder, 'skipped', 0, 10).rows).toMatchObject([
      { row: 2, reason: 'Not a customer' },
    ]);
  });
});
