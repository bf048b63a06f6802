/** One non-blank record as a reader produced it, before header rules are applied. */
export interface RawRecord {
  /** Row number as the consultant's spreadsheet shows it (header = row 1 when it is on top). */
  rowNumber: number;
  values: string[];
  quoteError: 'missing' | 'invalid' | undefined;
}

/** How far a reader has got, in bytes of the file and data rows. */
export interface RecordProgress {
  bytesRead: number;
  rowsRead: number;
}
