/** Why a whole file (not a single row) could not be read. */
export type CsvFileErrorReason =
  | 'not-found'
  | 'empty'
  | 'binary'
  | 'no-header'
  | 'no-sheet'
  | 'too-many-columns'
  | 'unreadable'
  | 'too-large'
  | 'invalid-schema'
  | 'invalid-mapping'
  | 'cancelled';

/**
 * A file-level error: the file cannot be used at all. The message names the file and the reason
 * in words a consultant can act on; `reason` lets the UI and CLI branch without parsing text.
 */
export class CsvFileError extends Error {
  readonly reason: CsvFileErrorReason;
  readonly path: string;

  constructor(reason: CsvFileErrorReason, path: string, message: string) {
    super(message);
    this.name = 'CsvFileError';
    this.reason = reason;
    this.path = path;
  }
}
