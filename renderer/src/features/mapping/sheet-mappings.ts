import type { MappingDraft } from './mapping-model';

/**
 * The mapping made for each sheet of a workbook, by sheet name, kept while the consultant moves
 * between sheets of the same file for the same list (a mapping is made for one list and one
 * sheet's headers). The sheet on show is not in it: its mapping is the session's own.
 */
export type SheetMappings = Readonly<Record<string, MappingDraft>>;

/**
 * What moving from `current` (with the mapping as it stands) to `next` does: the current sheet's
 * mapping is remembered, and `next`'s own comes back when it was mapped before (undefined when
 * it was never visited, so it gets a fresh auto-match). The result's `others` leaves `next` out.
 */
export function switchSheet(
  others: SheetMappings,
  current: { sheet: string; mapping: MappingDraft } | undefined,
  next: string,
): { others: SheetMappings; mapping?: MappingDraft } {
  const all: Record<string, MappingDraft> = { ...others };
  if (current && current.sheet !== next) all[current.sheet] = current.mapping;
  const mapping = all[next];
  delete all[next];
  return mapping ? { others: all, mapping } : { others: all };
}

/** Only the sheets the workbook still has (a sheet renamed or removed since is forgotten). */
export function sheetsStillThere(others: SheetMappings, sheets: readonly string[]): SheetMappings {
  const present = new Set(sheets);
  return Object.fromEntries(Object.entries(others).filter(([sheet]) => present.has(sheet)));
}
