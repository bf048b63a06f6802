import { describe, expect, it } from 'vitest';
import {
  ImportWatch,
  importFinished,
  parseImportStatus,
  sameImportStatus,
  type ImportStatusView,
} from '../../../../core/engine/import/import-status';

const watchOf = (baseline?: ImportStatusView, sizeBefore: number | undefined = 100) =>
  new ImportWatch({ rows: 50, baseline, sizeBefore, settleMs: 1000, uploadedAtMs: 0 });

describe('import status', () => {
  it('reads importstatus bodies and refuses unusable ones', () => {
    expect(
      parseImportStatus({
        state: 'in_progress',
        totalRecords: 10,
        completedRecords: 4,
        percentComplete: 40,
      }),
    ).toEqual({ state: 'IN_PROGRESS', totalRecords: 10, completedRecords: 4, percentComplete: 40 });
    expect(parseImportStatus({ state: 'FAILED', failureReason: 'bad column' })).toEqual({
      state: 'FAILED',
      failureReason: 'bad column',
    });
    expect(parseImportStatus(undefined)).toBeUndefined();
    expect(parseImportStatus({})).toBeUndefined();
    expect(parseImportStatus({ state: 7 })).toBeUndefined();
    expect(parseImportStatus({ state: 'IN_PROGRESS', completedRecords: 'x' })).toEqual({
      state: 'IN_PROGRESS',
    });
    // docs/GENESYS.md#import-status-states: a finished import may carry no state at all.
    expect(
      parseImportStatus({ totalRecords: 10, completedRecords: 10, percentComplete: 100 }),
    ).toEqual({ totalRecords: 10, completedRecords: 10, percentComplete: 100 });
  });

  it('counts an import finished at 100 percent or completed = total, whatever the state, unless FAILED', () => {
    expect(importFinished({ percentComplete: 100 })).toBe(true);
    expect(importFinished({ state: 'IN_PROGRESS', percentComplete: 100 })).toBe(true);
    expect(importFinished({ totalRecords: 8, completedRecords: 8 })).toBe(true);
    expect(importFinished({ state: 'IN_PROGRESS', totalRecords: 8, completedRecords: 7 })).toBe(
      false,
    );
    expect(importFinished({ totalRecords: 0, completedRecords: 0 })).toBe(false);
    expect(importFinished({ state: 'FAILED', percentComplete: 100 })).toBe(false);
    const watch = watchOf();
    expect(
      watch.observeStatus({ totalRecords: 50, completedRecords: 50, percentComplete: 100 }),
    ).toEqual({ kind: 'completed', via: 'status' });
  });

  it('compares statuses field by field', () => {
    const a = { state: 'IN_PROGRESS', totalRecords: 5, completedRecords: 5, percentComplete: 100 };
    expect(sameImportStatus(a, { ...a })).toBe(true);
    expect(sameImportStatus(a, { ...a, totalRecords: 6 })).toBe(false);
    expect(sameImportStatus(undefined, undefined)).toBe(true);
    expect(sameImportStatus(a, undefined)).toBe(false);
  });

  it('follows a fresh status: progress capped at the rows sent, finished, FAILED with its reason', () => {
    const watch = watchOf();
    expect(watch.observeStatus(undefined)).toBeUndefined();
    expect(watch.observeStatus({ state: 'IN_PROGRESS', completedRecords: 20 })).toEqual({
      kind: 'importing',
      completedRecords: 20,
      via: 'status',
    });
    expect(watch.statusSeen).toBe(true);
    expect(watch.observeStatus({ state: 'IN_PROGRESS', completedRecords: 80 })).toMatchObject({
      completedRecords: 50,
    });
    expect(watch.observeStatus({ state: 'IN_PROGRESS', completedRecords: 49 })).toMatchObject({
      kind: 'importing',
    });
    expect(watch.observeStatus({ totalRecords: 50, completedRecords: 50 })).toEqual({
      kind: 'completed',
      via: 'status',
    });
    expect(
      watchOf().observeStatus({
        state: 'FAILED',
        completedRecords: 7,
        failureReason: 'Columns not in the list',
      }),
    ).toEqual({
      kind: 'failed',
      reason: 'Columns not in the list',
      failureReason: 'Columns not in the list',
      completedRecords: 7,
    });
    expect(watchOf().observeStatus({ state: 'FAILED' })).toMatchObject({
      reason: /without a reason/,
    });
  });

  it("ignores the earlier import's status until it changes", () => {
    const earlier = {
      totalRecords: 900,
      completedRecords: 900,
      percentComplete: 100,
    };
    const watch = watchOf(earlier);
    expect(watch.observeStatus({ ...earlier })).toBeUndefined();
    expect(watch.statusSeen).toBe(false);
    expect(
      watch.observeStatus({ state: 'IN_PROGRESS', totalRecords: 50, completedRecords: 0 }),
    ).toMatchObject({
      kind: 'importing',
    });
    // once this import's status has been seen, the same values are no longer stale
    expect(
      watch.observeStatus({ ...earlier, totalRecords: 50, completedRecords: 50 }),
    ).toMatchObject({ kind: 'completed' });
  });

  it('without a status, completes when the list grew by the rows sent', () => {
    const watch = watchOf();
    expect(watch.observeSize(100, 100)).toEqual({ kind: 'waiting' });
    expect(watch.observeSize(120, 200)).toEqual({
      kind: 'importing',
      completedRecords: 20,
      via: 'size',
    });
    const done = watch.observeSize(150, 300);
    expect(done).toMatchObject({ kind: 'completed', via: 'size' });
    expect(done.kind === 'completed' && done.note).toMatch(
      /grew by 50 contacts for 50 rows sent, so the import is complete/,
    );
  });

  it('without a status, settles once the size stays still for settleMs, and says how much it grew', () => {
    const watch = watchOf();
    expect(watch.observeSize(110, 500)).toMatchObject({ kind: 'importing', completedRecords: 10 });
    expect(watch.observeSize(110, 1400)).toMatchObject({ kind: 'importing' });
    const settled = watch.observeSize(110, 1500);
    expect(settled).toMatchObject({ kind: 'completed', via: 'size' });
    expect(settled.kind === 'completed' && settled.note).toMatch(
      /grew by 10 contacts for 50 rows sent.*other 40 rows/,
    );
  });

  it('without a status nor a size, waits settleMs, then completes unconfirmed', () => {
    const watch = watchOf(undefined, undefined);
    expect(watch.observeSize(undefined, 999)).toEqual({ kind: 'waiting' });
    const done = watch.observeSize(undefined, 1000);
    expect(done.kind === 'completed' && done.note).toMatch(/without confirmation/);
  });
});
