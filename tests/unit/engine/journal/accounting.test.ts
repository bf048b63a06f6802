import { describe, expect, it } from 'vitest';
import { checkInvariant, countOutcomes } from '../../../../core/engine/journal/accounting';
import type { RowOutcome } from '../../../../core/engine/types';

describe('accounting invariant', () => {
  const outcomes = new Map<number, RowOutcome>([
    [1, 'uploaded'],
    [2, 'rejected'],
    [3, 'failed'],
    [4, 'skipped'],
    [5, 'uploaded'],
  ]);

  it('holds when every row read has exactly one outcome', () => {
    expect(countOutcomes(outcomes)).toEqual({ uploaded: 2, rejected: 1, failed: 1, skipped: 1 });
    expect(checkInvariant(5, outcomes, [1, 2, 3, 4, 5])).toEqual({ holds: true, problems: [] });
  });

  it('fails when a row is missing or the totals do not add up', () => {
    const check = checkInvariant(6, outcomes, [1, 2, 3, 4, 5, 6]);
    expect(check.holds).toBe(false);
    expect(check.problems.join(' ')).toMatch(/rows read \(6\)/);
    expect(check.problems.join(' ')).toMatch(/without an outcome: 6/);
  });

  it('fails when outcomes exist for rows never read', () => {
    expect(checkInvariant(4, outcomes, [1, 2, 3, 4]).holds).toBe(false);
  });
});
