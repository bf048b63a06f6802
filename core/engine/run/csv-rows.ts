import { createRowMapper, openCsv, type ContactListSchema, type Mapping } from '../../csv';
import type { SourceRow } from '../types';

/** What the engine needs to read a CSV file as mapped rows. */
export interface CsvRowsPlan {
  csvPath: string;
  /** The sheet of an .xlsx workbook (default: the first visible sheet with data). */
  sheet?: string;
  mapping: Mapping;
  schema: ContactListSchema;
  /** Overrides the mapping's default phone country (ISO alpha-2). */
  defaultCountry?: string;
}

/**
 * A CSV file's mapped rows, read again from the top on every call, and the file's rough row
 * count (`CsvSource.estimatedRows`, from the first 64 KB's line length) once a pass opened it.
 */
export interface CsvRowStream {
  (): AsyncIterable<SourceRow>;
  /** The rows the file holds, roughly; undefined until a pass has opened the file. */
  estimatedRows(): number | undefined;
}

/**
 * Turns a CSV file (or one sheet of an .xlsx workbook) into the engine's row stream: every call opens the file again (a resume
 * re-reads it from the top) with a fresh row mapper, so contact ids and duplicate decisions
 * are the same on every pass. Rows the mapper refuses arrive as rejected with its messages,
 * so they count in the run's accounting. `rowNumber` is the file's record number (header = 1).
 */
export function csvSourceRows(plan: CsvRowsPlan): CsvRowStream {
  let estimatedRows: number | undefined;
  const rows = async function* (): AsyncIterable<SourceRow> {
    const source = await openCsv(plan.csvPath, plan.sheet ? { sheet: plan.sheet } : {});
    estimatedRows = source.estimatedRows;
    const mapRow = createRowMapper(plan.mapping, plan.schema, {
      headers: source.headers,
      ...(plan.defaultCountry ? { defaultCountry: plan.defaultCountry } : {}),
    });
    for await (const row of source) {
      const result = mapRow(row);
      if (result.ok) {
        yield { rowNumber: result.rowNumber, ok: true, contact: result.contact };
        continue;
      }
      const reason = result.problems.map((problem) => problem.message).join('; ');
      yield {
        rowNumber: result.rowNumber,
        ok: false,
        reason: reason || 'The row could not be mapped',
        data: { ...row.fields },
        ...(result.contact ? { contactId: result.contact.id } : {}),
      };
    }
  };
  return Object.assign(rows, { estimatedRows: () => estimatedRows });
}
