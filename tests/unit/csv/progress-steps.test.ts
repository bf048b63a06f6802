import { describe, expect, it } from 'vitest';
import type { PrepareProgress } from '../../../core/csv/prepare';
import { progressSteps } from '../../../core/csv/progress-steps';

/** One pass's per-chunk updates: `chunks` reads of a file of `totalBytes`. */
function pass(phase: PrepareProgress['phase'], chunks: number, totalBytes: number) {
  return Array.from({ length: chunks }, (_, index) => ({
    phase,
    bytesRead: Math.min(totalBytes, Math.round(((index + 1) * totalBytes) / chunks)),
    totalBytes,
    rowsRead: (index + 1) * 480,
  }));
}

describe('progressSteps (the worker sends progress in hundredths of the file)', () => {
  it('sends about a hundred updates for a file of 6,272 chunks, first and last included', () => {
    const sent: PrepareProgress[] = [];
    const forward = progressSteps((progress) => sent.push(progress));
    const updates = pass('preparing', 6_272, 6_272 * 65_536);
    for (const update of updates) forward(update);
    expect(sent.length).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeLessThanOrEqual(101);
    expect(sent[0]).toBe(updates[0]);
    expect(sent.at(-1)).toBe(updates.at(-1));
    // no step is longer than a hundredth of the file plus one chunk
    for (let index = 1; index < sent.length; index += 1)
      expect(sent[index]!.bytesRead - sent[index - 1]!.bytesRead).toBeLessThanOrEqual(
        6_272 * 65_536 * 0.01 + 65_536,
      );
  });

  it('passes every update of a small file, and the first of each phase', () => {
    const sent: PrepareProgress[] = [];
    const forward = progressSteps((progress) => sent.push(progress));
    const indexing = pass('indexing-ids', 20, 20 * 65_536);
    const preparing = pass('preparing', 20, 20 * 65_536);
    for (const update of [...indexing, ...preparing]) forward(update);
    expect(sent).toEqual([...indexing, ...preparing]);
  });

  it('always sends the end of the file, even when it follows an update closely', () => {
    const sent: PrepareProgress[] = [];
    const forward = progressSteps((progress) => sent.push(progress));
    const totalBytes = 1_000_000;
    forward({ phase: 'preparing', bytesRead: 500_000, totalBytes, rowsRead: 10 });
    forward({ phase: 'preparing', bytesRead: 500_001, totalBytes, rowsRead: 11 });
    forward({ phase: 'preparing', bytesRead: totalBytes, totalBytes, rowsRead: 20 });
    forward({ phase: 'preparing', bytesRead: totalBytes, totalBytes, rowsRead: 20 });
    expect(sent.map((progress) => progress.rowsRead)).toEqual([10, 20, 20]);
  });
});
