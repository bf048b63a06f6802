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
      const number = Number(value);
      if (spec.min !== undefined && number < spec.min)
        return { rule: 'numeric', reason: `is below the minimum ${spec.min}` };
      if (spec.max !== undefined && number > spec.max)
        return { rule: 'numeric', reason: `is above the maximum ${spec.max}` };
      return undefined;
    }
    case 'TIMESTAMP':
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

/** `2024-03-01 14:30` as Date.parse reads it (`2024-03-01T14:30`); other text unchanged. */
function isoText(value: string): string {
  return value.length > 10 && value.charCodeAt(10) === 32
    ? `${value.slice(0, 10)}T${value.slice(11)}`
    : value;
}
