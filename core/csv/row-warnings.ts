import { isFormulaLike } from './formula-safety';
import type { CheckErrorRow } from '../contract/csv-pipeline';
import type { ContactListSchema } from './schema';

/** Warnings of a clean row: it will be sent, but a consultant should look at it first. */
export type RowWarning = 'uncallable' | 'formula';

/**
 * A clean row with a warning, as the check's and the preparation's grids show it: the contract's
 * grid row with warnings' codes. (A type-only import: the contract imports core/csv's mapping at
 * run time, never the other way.)
 */
export type WarnedRow = Omit<CheckErrorRow, 'rules'> & { rules: RowWarning[] };

/** The warnings of a whole pass: rows with at least one, counts per warning, the first rows. */
export interface RowWarnings {
  warned: number;
  byWarning: Partial<Record<RowWarning, number>>;
  rows: WarnedRow[];
}

/**
 * Counts, as a preparation or a check writes each clean row, the rows that will be sent but that
 * a consultant should look at first: contacts with no phone and no email in any of the list's
 * contactable columns (Genesys stores them, but a campaign can never reach them) and cells a
 * spreadsheet would run as a formula (`=`, `@`, ...: anyone who exports the list to Excel later
 * runs them). Keeps the first `maxRows` of them. `cells` are the clean row's values in the list's
 * column order, exactly as they will be sent.
 */
export function createWarningCounter(
  schema: ContactListSchema,
  maxRows: number,
): {
  note: (rowNumber: number, cells: readonly string[], values: readonly string[]) => void;
  result: RowWarnings;
} {
  const contactable = [
    ...schema.phoneColumns.map((column) => column.columnName),
    ...schema.emailColumns.map((column) => column.columnName),
  ]
    .map((name) => schema.columnNames.indexOf(name))
    .filter((index) => index >= 0);
  const result: RowWarnings = { warned: 0, byWarning: {}, rows: [] };
  const note = (rowNumber: number, cells: readonly string[], values: readonly string[]) => {
    const uncallable =
      contactable.length > 0 && contactable.every((index) => !cells[index]?.trim());
    let formulaColumns: string[] | undefined;
    for (let index = 0; index < cells.length; index += 1) {
      if (!isFormulaLike(cells[index] ?? '')) continue;
      (formulaColumns ??= []).push(schema.columnNames[index] ?? `column ${index + 1}`);
    }
    if (!uncallable && !formulaColumns) return;
    result.warned += 1;
    const rules: RowWarning[] = [];
    const reasons: string[] = [];
    if (uncallable) {
      rules.push('uncallable');
      reasons.push('no phone number or email in any contactable column: it can never be reached');
    }
    if (formulaColumns) {
      rules.push('formula');
      reasons.push(
        `${formulaColumns.join(', ')} ${formulaColumns.length > 1 ? 'start' : 'starts'} like a spreadsheet formula (=, +, -, @): Excel would run it when the list is exported`,
      );
    }
    for (const rule of rules) result.byWarning[rule] = (result.byWarning[rule] ?? 0) + 1;
    if (result.rows.length < maxRows) {
      result.rows.push({ rowNumber, rules, reasons: reasons.join('; '), values: [...values] });
    }
  };
  return { note, result };
}
