import { describe, expect, it } from 'vitest';
import { checkValue, isPlainDate } from '../../../core/csv/column-rules';

const TIMESTAMP = { columnName: 'DueDate', columnDataType: 'TIMESTAMP' as const };

/** The full rule, as checkValue applied it to every value before the date-only shortcut. */
function acceptedByFullRule(value: string): boolean {
  const shape = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
  return shape.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
}

describe('TIMESTAMP values', () => {
  it('accepts a date-only value exactly when the full rule does (every month and day 00–99)', () => {
    const disagreements: string[] = [];
    let shortcuts = 0;
    for (const year of ['0000', '1900', '1999', '2024', '2025', '9999']) {
      for (let month = 0; month < 100; month += 1) {
        for (let day = 0; day < 100; day += 1) {
          const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const accepted = checkValue(value, TIMESTAMP) === undefined;
          if (accepted !== acceptedByFullRule(value)) disagreements.push(value);
          if (isPlainDate(value)) shortcuts += 1;
        }
      }
    }
    expect(disagreements).toEqual([]);
    // The shortcut takes every valid date-only value (12 months × 31 days a year), no other.
    expect(shortcuts).toBe(6 * 12 * 31);
  });

  it('leaves every other shape to the full rule', () => {
    for (const value of [
      '2024-3-01',
      '2024/03/01',
      '2024-03-01 14:30',
      '2024-03-01T14:30:00Z',
      ' 2024-03-01',
      '２０２４-03-01',
      '2024-0a-01',
    ])
      expect(isPlainDate(value)).toBe(false);
    expect(checkValue('2024-03-01 14:30', TIMESTAMP)).toBeUndefined();
    expect(checkValue('2024-13-01', TIMESTAMP)?.rule).toBe('timestamp');
    expect(checkValue('2024-03-01 24:01', TIMESTAMP)?.rule).toBe('timestamp');
  });
});

describe('NUMERIC values', () => {
  it('checks the range only when the column has one', () => {
    const ranged = { columnName: 'Balance', columnDataType: 'NUMERIC' as const, min: 0, max: 10 };
    const open = { columnName: 'Balance', columnDataType: 'NUMERIC' as const };
    expect(checkValue('11', ranged)?.reason).toBe('is above the maximum 10');
    expect(checkValue('-1', ranged)?.reason).toBe('is below the minimum 0');
    expect(checkValue('1e3', open)?.rule).toBe('numeric');
    expect(checkValue('-12345678901234567890.5', open)).toBeUndefined();
  });
});
