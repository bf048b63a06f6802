import type { ContactListSchema, Mapping } from '../csv';
import { createRowMapper } from '../csv';
import type { SettledRow } from '../engine/journal/journal-records';

/** One row as the consultant corrected it: the same keys the Failures screen showed. */
export interface RowEdit {
  row: number;
  data: Record<string, string>;
  /**
   * The id the run recorded for the row, if any. A row the engine recorded carries only the
   * list's columns, so when the ids are read from a CSV column it keeps this one.
   */
  contactId?: string;
}

/** What fixing gives: rows ready to be sent again, and rows whose new values still break a rule. */
export interface FixPlan {
  ready: SettledRow[];
  problems: Array<{ row: number; messages: string[] }>;
}

/**
 * Validates corrected rows exactly as the run's first pass did, and turns the good ones into
 * `failed` journal records carrying the corrected contact, ready for a retry session.
 * Rows the engine recorded carry the list's columns (the contact as sent): they are checked
 * column for column. Rows the CSV check refused carry the file's own cells: they go through
 * the run's mapping again. Ids follow the run's contact-id rule, so a retry stays idempotent.
 */
export function planFixes(
  edits: readonly RowEdit[],
  mapping: Mapping,
  schema: ContactListSchema,
): FixPlan {
  const listColumns = new Set(schema.columnNames);
  const plan: FixPlan = { ready: [], problems: [] };
  for (const edit of edits) {
    const keys = Object.keys(edit.data);
    const isContact = keys.length > 0 && keys.every((key) => listColumns.has(key));
    const keptId = isContact ? idKept(mapping, edit) : undefined;
    if (keptId && !keptId.ok) {
      plan.problems.push({ row: edit.row, messages: [keptId.message] });
      continue;
    }
    const rowMapping: Mapping = isContact ? columnForColumn(mapping, keys) : mapping;
    let mapRow;
    try {
      mapRow = createRowMapper({ ...rowMapping, duplicateIds: 'keep-first' }, schema, {
        headers: keys,
        duplicates: { mode: 'off' },
      });
    } catch (error) {
      // The run's mapping reads a cell this row never had (a ragged row): say which.
      plan.problems.push({
        row: edit.row,
        messages: [error instanceof Error ? error.message : String(error)],
      });
      continue;
    }
    const result = mapRow({
      rowNumber: edit.row,
      fields: edit.data,
      values: keys.map((key) => edit.data[key] ?? ''),
    });
    if (result.ok) {
      plan.ready.push({
        row: edit.row,
        contactId: keptId?.id ?? result.contact.id,
        data: result.contact.data,
        status: 0,
        reason: 'Corrected by the consultant; waiting to be sent again',
      });
    } else {
      plan.problems.push({
        row: edit.row,
        messages: result.problems.map((problem) => problem.message),
      });
    }
  }
  return plan;
}

/**
 * For a row given by its list columns when the ids are read from a CSV column (which the row
 * does not carry): the id the run recorded for it, or why there is none. Undefined otherwise.
 */
function idKept(
  mapping: Mapping,
  edit: RowEdit,
): { ok: true; id: string } | { ok: false; message: string } | undefined {
  const rule = mapping.contactId;
  if (rule.kind !== 'csv-column') return undefined;
  if (edit.contactId) return { ok: true, id: edit.contactId };
  return {
    ok: false,
    message: `Row ${edit.row} has no recorded contact id, and its id comes from the CSV column “${rule.header}”: correct it in the file and upload that instead.`,
  };
}

/**
 * The run's mapping re-pointed so each list column reads the field of the same name. An id read
 * from a CSV column becomes a hash of those fields, only so the row is checked: `idKept` gives
 * the id sent.
 */
function columnForColumn(mapping: Mapping, columns: readonly string[]): Mapping {
  const next: Mapping['columns'] = {};
  for (const column of columns) {
    next[column] = {
      source: { kind: 'csv', header: column },
      transforms: [],
      required: mapping.columns[column]?.required ?? false,
    };
  }
  const contactId: Mapping['contactId'] =
    mapping.contactId.kind === 'csv-column'
      ? { kind: 'hash', columns: [...columns] }
      : mapping.contactId;
  return { ...mapping, columns: next, contactId };
}
