import type { ContactListSchema, Mapping } from '../../csv';

/**
 * Spells the mapping's list columns as the list does, where they differ only in case. Genesys
 * matches column names case-insensitively on append and stores the list's spelling
 * (docs/GENESYS.md#column-match-case-insensitive), so a mapping saved as "firstname" for a list
 * column "FirstName" is the same column: the run's checks, its import file and its POSTs use the
 * list's spelling. A name with no match, or with two (lists may not have two, but a hand-made
 * schema could), is left as it is for the mapping check to report.
 */
export function alignMappingToList(mapping: Mapping, schema: ContactListSchema): Mapping {
  const byLower = new Map<string, string | undefined>();
  for (const name of schema.columnNames) {
    const key = name.toLowerCase();
    byLower.set(key, byLower.has(key) ? undefined : name);
  }
  const spell = (name: string): string => {
    if (schema.columnNames.includes(name)) return name;
    return byLower.get(name.toLowerCase()) ?? name;
  };
  const columns: Mapping['columns'] = {};
  for (const [name, column] of Object.entries(mapping.columns)) columns[spell(name)] = column;
  // An id read from a CSV column names a header, not a list column: nothing to spell.
  const rule = mapping.contactId;
  const contactId: Mapping['contactId'] =
    rule.kind === 'column'
      ? { kind: 'column', column: spell(rule.column) }
      : rule.kind === 'hash'
        ? { kind: 'hash', columns: rule.columns.map(spell) }
        : rule;
  return { ...mapping, columns, contactId };
}
