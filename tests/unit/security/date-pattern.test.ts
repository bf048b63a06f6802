import { describe, expect, it } from 'vitest';
import { reformatDate } from '../../../core/csv';
import { TransformError } from '../../../core/csv/transforms';

describe('date patterns are bounded', () => {
  it('refuses a pattern repeating a token instead of backtracking on a long digit string', () => {
    // Before the bound this pattern compiled to 30 `(\d{1,2})` groups: on 60 digits and a
    // trailing letter the match takes astronomically long, so the call below never returned.
    const hostile = 'DD'.repeat(30);
    const value = `${'1'.repeat(60)}x`;
    expect(() => reformatDate(value, hostile, 'YYYY-MM-DD')).toThrow(TransformError);
    expect(() => reformatDate(value, hostile, 'YYYY-MM-DD')).toThrow(/too long/);
    expect(() => reformatDate(value, 'DD/DD/MM/YYYY', 'YYYY-MM-DD')).toThrow(/DD twice/);
    expect(() => reformatDate('1', `YYYY${'-'.repeat(50)}`, 'YYYY')).toThrow(/too long/);
  });

  it('still reformats ordinary dates', () => {
    expect(reformatDate('31/01/2026', 'DD/MM/YYYY', 'YYYY-MM-DD')).toBe('2026-01-31');
    expect(reformatDate('01022026', 'DDMMYYYY', 'YYYY-MM-DD')).toBe('2026-02-01');
    expect(reformatDate('2026-01-31T14:05:09', 'YYYY-MM-DDTHH:mm:ss', 'DD.MM.YYYY HH:mm')).toBe(
      '31.01.2026 14:05',
    );
  });
});
