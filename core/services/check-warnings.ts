import {
  REJECT_COLUMNS,
  isFormulaLike,
  openCsv,
  type ContactListSchema,
  type CsvRow,
  type PrepareProgress,
} from '../csv';
import type { CheckErrorRow } from '../contract';

/** Warnings of the whole-file check: rows that will be sent but deserve a look first. */
export type CheckWarning = 'uncallable' | 'formula';

/** What the warnings pass found: counts per warning and the first rows with one. */
export interface CheckWarnings {
  /** Rows with at least one warning. */
  warned: number;
  byWarning: Partial<Record<CheckWarning, number>>;
  rows: CheckErrorRow[];
}

/** Inputs of `findCheckWarnings`; the files are the check's own temporary outputs. */
export interface CheckWarningsInput {
  /** The file the consultant chose (its rows are shown, with their file row numbers). */
  sourcePath: string;
  /** The workbook sheet the check read (absent for a CSV file, or for the default sheet). */
  sheet?: string;
  /** The clean file the check wrote: the list's columns, values exactly as they would be sent. */
  cleanPath: string;
  /** Row numbers of every rejected row (they have no line in the clean file). */
  rejectedRows: ReadonlySet<number>;
  schema: ContactListSchema;
  maxRows: number;
  /** Stops the pass (a CsvFileError with reason 'cancelled'): the consultant cancelled the check. */
  signal?: AbortSignal;
  /** The pass's progress through the file (phase `finding-warnings`). */
  onProgress?: (progress: PrepareProgress) => void;
}

/**
 * Finds the rows that will be sent but that a consultant should look at first: contacts with no
 * phone and no email in any of the list's contactable columns (Genesys stores them, but a
 * campaign can never reach them) and cells a spreadsheet would run as a formula (`=`, `@`, ...:
 * anyone who exports the list to Excel later runs them). It walks the file and the clean file in
 * step: the clean file holds, in file order, exactly the rows that were not rejected.
 */
export async function findCheckWarnings(input: CheckWarningsInput): Promise<CheckWarnings> {
  const { schema } = input;
  const contactable = [
    ...schema.phoneColumns.map((column) => column.columnName),
    ...schema.emailColumns.map((column) => column.columnName),
  ].map((name) => schema.columnNames.indexOf(name));
  const { signal, sheet, onProgress } = input;
  // The sheet the check's worker read: the clean file holds that sheet's rows, not the default's.
  const source = await openCsv(input.sourcePath, {
    ...(sheet ? { sheet } : {}),
    ...(signal ? { signal } : {}),
    ...(onProgress
      ? { onProgress: (progress) => onProgress({ phase: 'finding-warnings', ...progress }) }
      : {}),
  });
  const clean = (await openCsv(input.cleanPath, signal ? { signal } : {}))[Symbol.asyncIterator]();
  const found: CheckWarnings = { warned: 0, byWarning: {}, rows: [] };
  for await (const row of source) {
    if (input.rejectedRows.has(row.rowNumber)) continue;
    const next = await clean.next();
    if (next.done) break;
    const cells = next.value.values;
    const warnings: string[] = [];
    const reasons: string[] = [];
    if (contactable.length > 0 && contactable.every((index) => !cells[index]?.trim())) {
      warnings.push('uncallable');
      reasons.push('no phone number or email in any contactable column: it can never be reached');
    }
    const formulaColumns = schema.columnNames.filter((_, index) =>
      isFormulaLike(cells[index] ?? ''),
    );
    if (formulaColumns.length > 0) {
      warnings.push('formula');
      reasons.push(
        `${formulaColumns.join(', ')} ${formulaColumns.length > 1 ? 'start' : 'starts'} like a spreadsheet formula (=, +, -, @): Excel would run it when the list is exported`,
      );
    }
    if (warnings.length === 0) continue;
    found.warned += 1;
    for (const warning of warnings as CheckWarning[]) {
      found.byWarning[warning] = (found.byWarning[warning] ?? 0) + 1;
    }
    if (found.rows.length < input.maxRows) found.rows.push(warningRow(row, warnings, reasons));
  }
  await clean.return?.();
  return found;
}

function warningRow(row: CsvRow, warnings: string[], reasons: string[]): CheckErrorRow {
  return {
    rowNumber: row.rowNumber,
    rules: warnings,
    reasons: reasons.join('; '),
    values: [...row.values],
  };
}

/** Inputs of `findPreparedWarnings`: a preparation's input and the two files it wrote. */
export interface PreparedWarningsInput extends Omit<CheckWarningsInput, 'rejectedRows'> {
  /** The rejects file the preparation wrote (CSV or .xlsx): its rows have no clean line. */
  rejectsPath: string;
}

/**
 * `findCheckWarnings` for a preparation the consultant kept: the rows of the clean file it wrote
 * that deserve a look, read against the rejects file it wrote beside it (CSV or a workbook).
 */
export async function findPreparedWarnings(input: PreparedWarningsInput): Promise<CheckWarnings> {
  const { rejectsPath, ...rest } = input;
  const rejectedRows = await readRejectedRowNumbers(rejectsPath, input.signal);
  return findCheckWarnings({ ...rest, rejectedRows });
}

/**
 * The file row numbers of every row in a rejects file Sluice wrote (its `Sluice row` column),
 * CSV or .xlsx: read with its Sluice columns kept, as the data it holds is not wanted here.
 */
export async function readRejectedRowNumbers(
  rejectsPath: string,
  signal?: AbortSignal,
): Promise<Set<number>> {
  const rejects = await openCsv(rejectsPath, {
    sluiceColumns: 'keep',
    ...(signal ? { signal } : {}),
  });
  const column = rejects.headers.indexOf(REJECT_COLUMNS[0]);
  const rows = new Set<number>();
  if (column < 0) {
    await rejects[Symbol.asyncIterator]().return?.();
    return rows;
  }
  for await (const row of rejects) {
    const rowNumber = Number(row.values[column]);
    if (Number.isInteger(rowNumber)) rows.add(rowNumber);
  }
  return rows;
}
