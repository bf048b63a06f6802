/**
 * Formula-injection safety for files a consultant opens in a spreadsheet (CSV injection): a
 * spreadsheet evaluates a cell that starts with `=`, `@`, a tab or a carriage return, and one
 * that starts with `+` or `-` unless the rest is a plain number: `+17735552000` and `-12.5` are
 * values, `+1-2` and `-A1` are formulas.
 */
const ALWAYS_FORMULA = /^[=@\t\r]/;
const SIGNED = /^[+-]/;
const PLAIN_SIGNED_NUMBER = /^[+-](\d+(\.\d*)?|\.\d+)$/;

/** True when a spreadsheet would evaluate the cell as a formula. */
export function isFormulaLike(cell: string): boolean {
  // Most cells start with none of = @ tab CR + -: one character code decides (the preparation
  // asks this of every clean cell it writes).
  const first = cell.charCodeAt(0);
  if (
    first > 64 ||
    (first !== 61 && first !== 64 && first !== 9 && first !== 13 && first !== 43 && first !== 45)
  )
    return false;
  if (ALWAYS_FORMULA.test(cell)) return true;
  return SIGNED.test(cell) && !PLAIN_SIGNED_NUMBER.test(cell);
}

/** Prefixes `'` to a cell a spreadsheet would evaluate; other cells are unchanged. */
export function neutraliseFormula(cell: string): string {
  return isFormulaLike(cell) ? `'${cell}` : cell;
}

/** What Sluice ever prefixed with `'` (older versions also prefixed every `+` or `-` start). */
const NEUTRALISED = /^'[=@\t\r+-]/;

/**
 * Undoes `neutraliseFormula` (of this or an older Sluice) on a cell read back from a file
 * Sluice wrote: `'+17735552000` → `+17735552000`. Only for Sluice's own files, where a leading
 * `'` before those characters is known to be Sluice's mark rather than the customer's data.
 */
export function restoreNeutralised(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
