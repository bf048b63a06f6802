// The quoting rules every CSV file Sluice writes follows (RFC 4180, plus edge spaces quoted so a
// spreadsheet or another reader does not trim them away).

const SPACE = /\s/;

/** True for a character `\s` matches (ASCII fast path: most cells start and end with letters or digits). */
export function isSpace(code: number): boolean {
  if (code > 32 && code < 0x80) return false;
  return SPACE.test(String.fromCharCode(code));
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * True when the cell must be quoted: it contains the delimiter (`separator` is its first
 * UTF-16 code), a quote or a line break from `from` on, or starts or ends with a space.
 */
export function needsQuotes(cell: string, separator: number, from = 0): boolean {
  const length = cell.length;
  if (length === 0) return false;
  if (isSpace(cell.charCodeAt(0)) || isSpace(cell.charCodeAt(length - 1))) return true;
  // A plain character scan: measured faster than a regular expression on the short cells of
  // contact data, and this runs for every cell of every row written.
  for (let index = from; index < length; index += 1) {
    const code = cell.charCodeAt(index);
    if (code === separator || code === QUOTE || code === CR || code === LF) return true;
  }
  return false;
}

/** Quotes a cell when it contains the delimiter, a quote, a line break, or edge spaces (RFC 4180). */
export function formatCell(cell: string, delimiter = ','): string {
  return needsQuotes(cell, delimiter.charCodeAt(0)) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
