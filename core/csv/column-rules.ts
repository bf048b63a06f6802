import type { ColumnDataTypeSpecification } from './schema';
import { GENESYS_LIMITS } from './limits';
import type { ProblemRule } from './problems';

/** A broken column rule: the rule and the end of a sentence ("is longer than 512 characters"). */
export interface RuleViolation {
  rule: ProblemRule;
  reason: string;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
// Accepted timestamp shapes: 2024-03-01, 2024-03-01 14:30, 2024-03-01T14:30:00Z, with optional
// seconds, fraction and offset. (Genesys's exact TIMESTAMP grammar is not documented publicly.)
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Checks one non-empty value against Genesys's rules for its column: 512 characters for every
 * value (docs/GENESYS.md), and the column's data type (TEXT maxLength, NUMERIC min/max, TIMESTAMP).
 * Returns undefined when the value is acceptable.
 */
export function checkValue(
  value: string,
  spec: ColumnDataTypeSpecification | undefined,
): RuleViolation | undefined {
  if (value.length > GENESYS_LIMITS.maxValueLength) {
    return {
      rule: 'max-length',
      reason: `is ${value.length} characters long; Genesys accepts at most ${GENESYS_LIMITS.maxValueLength}`,
    };
  }
  if (!spec || value === '') return undefined;
  switch (spec.columnDataType) {
    case 'TEXT':
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        return {
          rule: 'max-length',
          reason: `is ${value.length} characters long; this column accepts at most ${spec.maxLength}`,
        };
      }
      return undefined;
    case 'NUMERIC': {
      if (!NUMBER.test(value))
        return {
          rule: 'numeric',
          reason: 'is not a number (digits, optional minus sign and decimal point)',
        };
      if (spec.min === undefined && spec.max === undefined) return undefined;
      const number = Number(value);
      if (spec.min !== undefined && number < spec.min)
        return { rule: 'numeric', reason: `is below the minimum ${spec.min}` };
      if (spec.max !== undefined && number > spec.max)
        return { rule: 'numeric', reason: `is above the maximum ${spec.max}` };
      return undefined;
    }
    case 'TIMESTAMP':
      if (isPlainDate(value)) return undefined;
      // Date.parse reads ISO text with a `T`; only date-and-time values need the space replaced
      // (a replace per row allocates, and most timestamp columns hold dates only).
      if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(isoText(value)))) {
        return {
          rule: 'timestamp',
          reason: 'is not a date/time like 2024-03-01 or 2024-03-01 14:30',
        };
      }
      return undefined;
  }
}

const DASH = 45;
const ZERO = 48;
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9];

/**
 * True for a date-only value `YYYY-MM-DD` with month 01–12 and day 01–31: exactly the date-only
 * values the TIMESTAMP pattern and Date.parse accept (Date.parse checks the day against 31, not
 * the month's length: 2024-02-30 passes). The most common timestamp shape, checked without a
 * regular expression or a date parse (measured: about 0.2 CPU s per million rows); every other
 * value takes the full check.
 */
export function isPlainDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH)
    return false;
  for (const at of DIGITS_AT) if (!isDigit(value.charCodeAt(at))) return false;
  const month = (value.charCodeAt(5) - ZERO) * 10 + value.charCodeAt(6) - ZERO;
  const day = (value.charCodeAt(8) - ZERO) * 10 + value.charCodeAt(9) - ZERO;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** `2024-03-01 14:30` as Date.parse reads it (`2024-03-01T14:30`); other text unchanged. */
function isoText(value: string): string {
  return value.length > 10 && value.charCodeAt(10) === 32
    ? `${value.slice(0, 10)}T${value.slice(11)}`
    : value;
}
