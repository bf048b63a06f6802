// Maps one source row onto a contact list's columns and validates it, for callers that need the
// contact by column name (the engine uploads `data`). The mapping and checks themselves are
// cell-mapper.ts, which `prepareCsv` uses directly: a clean file needs only the values in order.
import { createCellMapper } from './cell-mapper';
import type { RowInput, RowMapperOptions } from './cell-mapper';
import type { Mapping } from './mapping';
import type { Problem } from './problems';
import type { ContactListSchema } from './schema';

export type { RowInput, RowMapperOptions } from './cell-mapper';
export type { DuplicateCheck } from './duplicate-check';

/** A contact ready to upload: its deterministic id and one value per list column. */
export interface MappedContact {
  id: string;
  data: Record<string, string>;
}

/** The result of mapping one row. */
export type RowResult =
  | {
      ok: true;
      rowNumber: number;
      contact: MappedContact;
      /** The contact's values in the schema's column order (what a clean file writes, no lookups). */
      cells: string[];
    }
  | { ok: false; rowNumber: number; problems: Problem[]; contact?: MappedContact };

/** A function mapping one row; stateful for duplicates, so create one per pass over a file. */
export type RowMapper = (row: RowInput) => RowResult;

/**
 * Builds the function that turns a CSV row into a contact or a list of problems (rules:
 * required, max-length, numeric, timestamp, phone, date-format, contact-id, duplicate-id, plus
 * the row's own shape problems). Throws CsvFileError ('invalid-mapping') when the mapping names
 * list columns the schema lacks or CSV headers the file lacks.
 */
export function createRowMapper(
  mapping: Mapping,
  schema: ContactListSchema,
  options: RowMapperOptions = {},
): RowMapper {
  const mapCells = createCellMapper(mapping, schema, options);
  const names = schema.columnNames;
  return (row) => {
    const result = mapCells(row);
    if (!result.cells)
      return { ok: false, rowNumber: result.rowNumber, problems: [...result.problems] };
    const cells = result.cells;
    const data: Record<string, string> = {};
    for (let index = 0; index < names.length; index += 1) data[names[index]!] = cells[index]!;
    const contact = { id: result.id, data };
    return result.ok
      ? { ok: true, rowNumber: result.rowNumber, contact, cells }
      : { ok: false, rowNumber: result.rowNumber, problems: result.problems, contact };
  };
}
