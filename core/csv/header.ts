/** A header cell Sluice had to rename so every column has a unique, non-empty name. */
export interface HeaderProblem {
  /** 0-based position of the column in the file. */
  columnIndex: number;
  kind: 'duplicate-header' | 'empty-header';
  /** The name as written in the file. */
  original: string;
  /** The name Sluice uses for it (what mappings refer to). */
  renamedTo: string;
  message: string;
}

/**
 * Makes header names unique and non-empty (not fatal: the consultant can still map the other
 * columns). Names are trimmed; an empty one becomes "Column N"; a repeated one becomes "Name (2)".
 */
export function normaliseHeaders(raw: string[]): { headers: string[]; problems: HeaderProblem[] } {
  const headers: string[] = [];
  const problems: HeaderProblem[] = [];
  const used = new Set<string>();
  raw.forEach((cell, columnIndex) => {
    const trimmed = cell.trim();
    let name = trimmed;
    if (name === '') {
      name = uniqueName(`Column ${columnIndex + 1}`, used);
      problems.push({
        columnIndex,
        kind: 'empty-header',
        original: cell,
        renamedTo: name,
        message: `Column ${columnIndex + 1} has no header; it is called "${name}"`,
      });
    } else if (used.has(name)) {
      name = uniqueName(trimmed, used);
      problems.push({
        columnIndex,
        kind: 'duplicate-header',
        original: cell,
        renamedTo: name,
        message: `Column ${columnIndex + 1} repeats the header "${trimmed}"; it is called "${name}"`,
      });
    }
    used.add(name);
    headers.push(name);
  });
  return { headers, problems };
}

function uniqueName(base: string, used: Set<string>): string {
  if (!used.has(base)) return base;
  let suffix = 2;
  while (used.has(`${base} (${suffix})`)) suffix += 1;
  return `${base} (${suffix})`;
}

const VALUE_LIKE = [
  /^[+(]?\d[\d\s().-]{5,}$/, // phone numbers and long numbers
  /^-?\d+([.,]\d+)?$/, // plain numbers
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/, // e-mail addresses
  /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/, // dates
];

/**
 * True when the first row looks like data rather than column names: at least half of its
 * non-empty cells are numbers, phone numbers, e-mail addresses or dates, or all cells are empty.
 */
export function looksLikeDataRow(cells: string[]): boolean {
  const nonEmpty = cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
  if (nonEmpty.length === 0) return true;
  const valueLike = nonEmpty.filter((cell) => VALUE_LIKE.some((pattern) => pattern.test(cell)));
  return valueLike.length * 2 >= nonEmpty.length;
}
