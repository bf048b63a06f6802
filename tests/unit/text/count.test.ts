import { describe, expect, it } from 'vitest';
import { countOf, noun } from '../../../core/text/count';

describe('countOf', () => {
  it('uses the singular for exactly one and the plural otherwise', () => {
    expect(countOf(1, 'row')).toBe('1 row');
    expect(countOf(0, 'row')).toBe('0 rows');
    expect(countOf(2, 'row')).toBe('2 rows');
  });
  it('takes an irregular plural', () => {
    expect(countOf(1, 'retry', 'retries')).toBe('1 retry');
    expect(countOf(3, 'retry', 'retries')).toBe('3 retries');
  });
  it('groups thousands the en-US way, as row numbers do', () => {
    expect(countOf(1234567, 'row')).toBe('1,234,567 rows');
  });
});

describe('noun', () => {
  it('gives the noun alone, for text that styles the number apart', () => {
    expect(noun(1, 'row')).toBe('row');
    expect(noun(10, 'row')).toBe('rows');
    expect(noun(1, 'run did not finish', 'runs did not finish')).toBe('run did not finish');
  });
});
