/** The rule a row broke; stable strings the CLI summary and the UI group by. */
export type ProblemRule =
  | 'ragged-row'
  | 'malformed-quotes'
  | 'required'
  | 'max-length'
  | 'numeric'
  | 'timestamp'
  | 'phone'
  | 'date-format'
  | 'contact-id'
  | 'duplicate-id';

/**
 * One thing wrong with one row. `rowNumber` counts records from the top of the file with the
 * header as row 1 (what Excel shows for a file without multi-line cells); `column` is the list
 * column (or CSV header for parse problems), null when the whole row is concerned.
 */
export interface Problem {
  rowNumber: number;
  column: string | null;
  value: string;
  rule: ProblemRule;
  message: string;
}

/** "1,204": row numbers as a consultant reads them. */
export function formatRowNumber(rowNumber: number): string {
  return rowNumber.toLocaleString('en-US');
}

/** Shortens a value for a message (long values make messages unreadable). */
export function quoteValue(value: string, maxChars = 40): string {
  const shown = value.length > maxChars ? `${value.slice(0, maxChars)}…` : value;
  return `'${shown}'`;
}
