// What a mapping's contact-id rule reads and how to say it to a consultant. Plain functions with
// no Node imports, so the renderer's mapping screen uses the same words as the checks.
import type { ContactIdRule, Mapping } from './mapping';

/** The list columns whose mapped values make the id ([] when it is read from a CSV column). */
export function idListColumns(rule: ContactIdRule): string[] {
  if (rule.kind === 'column') return [rule.column];
  if (rule.kind === 'hash') return [...rule.columns];
  return [];
}

/** The CSV header the id is read from directly, or undefined when it comes from list columns. */
export function idCsvHeader(rule: ContactIdRule): string | undefined {
  return rule.kind === 'csv-column' ? rule.header : undefined;
}

/** Where the ids come from, in a phrase: "the CSV column “CRM ID”", "a hash of Phone1, Phone2". */
export function describeIdSource(rule: ContactIdRule): string {
  if (rule.kind === 'csv-column') return `the CSV column “${rule.header}”`;
  if (rule.kind === 'column') return `the ${rule.column} column`;
  return `a hash of ${rule.columns.join(', ')}`;
}

/**
 * Why two rows got the same id, when the id is a hash (and so the rows are not one customer's
 * by construction): which values they share and what to change. Undefined for ids read from a
 * column, where a repeat is the file's own duplicate.
 */
export function duplicateIdCause(
  rule: ContactIdRule,
  phoneColumns: readonly string[],
): string | undefined {
  if (rule.kind !== 'hash') return undefined;
  const phones = new Set(phoneColumns);
  const shared = rule.columns.every((column) => phones.has(column))
    ? `phone number(s) (${rule.columns.join(', ')})`
    : rule.columns.join(', ');
  const madeFrom = rule.columns.every((column) => phones.has(column))
    ? 'the phone columns'
    : 'those columns';
  return `the rows have the same ${shared}, and the contact id is made from ${madeFrom}, so they would be one contact. Choose a CRM id column as Contact id to keep them apart`;
}

/**
 * The whole-file check's words for the duplicate-id count, when the id is a hash; undefined for
 * ids read from a column (the generic words fit).
 */
export function duplicateIdSummary(
  rule: ContactIdRule,
  phoneColumns: readonly string[],
): string | undefined {
  if (rule.kind !== 'hash') return undefined;
  const phones = new Set(phoneColumns);
  if (rule.columns.every((column) => phones.has(column))) {
    return 'Same phone number(s) as an earlier row: the contact id is made from the phone columns, so these rows would be one contact. Choose a CRM id column as Contact id to keep them apart';
  }
  return `Same ${rule.columns.join(', ')} as an earlier row: the contact id is made from those columns, so these rows would be one contact. Choose a CRM id column as Contact id to keep them apart`;
}

/**
 * The check's mapping-dependent words for its counts, by rule (FileCheck.ruleNotes, and
 * `sluice prepare`'s summary): for now the duplicate-id explanation when the id is a hash.
 */
export function checkRuleNotes(
  byRule: Partial<Record<string, number>>,
  rule: ContactIdRule,
  phoneColumns: readonly string[],
): Record<string, string> {
  if (!byRule['duplicate-id']) return {};
  const note = duplicateIdSummary(rule, phoneColumns);
  return note ? { 'duplicate-id': note } : {};
}

/**
 * Points the contact id at CSV header `header` (the CLI's --id-column): the list column that reads
 * exactly that header when there is one (its mapped value, and a bulk import then needs no extra
 * id column), else the CSV column itself. Throws when the file has no such header.
 */
export function withIdHeader(
  mapping: Mapping,
  header: string,
  headers: readonly string[],
): Mapping {
  const column = Object.entries(mapping.columns).find(
    ([, columnMapping]) =>
      columnMapping.source.kind === 'csv' && columnMapping.source.header === header,
  )?.[0];
  if (column) return { ...mapping, contactId: { kind: 'column', column } };
  if (!headers.includes(header)) {
    throw new Error(
      `--id-column "${header}" is not a column of the file (its columns: ${headers.join(', ')}).`,
    );
  }
  return { ...mapping, contactId: { kind: 'csv-column', header } };
}
