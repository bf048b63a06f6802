/**
 * Counts next to nouns, in one place for the app's screens, its HTML run report and the command
 * line: "1 row", "2 rows", "1,234 retries". Numbers use en-US grouping, as row numbers do
 * (`formatRowNumber` in core/csv), so a count reads the same wherever it is shown.
 */

/** The noun alone, singular for exactly one: `noun(1, 'row')` is "row", `noun(0, 'row')` "rows". */
export function noun(count: number, singular: string, plural = `${singular}s`): string {
  return count === 1 ? singular : plural;
}

/** The count and its noun: `countOf(1, 'row')` is "1 row", `countOf(1200, 'retry', 'retries')` "1,200 retries". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${noun(count, singular, plural)}`;
}
