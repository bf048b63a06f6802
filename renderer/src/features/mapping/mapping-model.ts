import type { z } from 'zod';
import type { MappingShape } from '../../../../core/contract';

/** A mapping as the editor holds it (the contract's input shape: defaults may be absent). */
export type MappingDraft = z.input<typeof MappingShape>;

/** The CSV header a list column reads, when it reads exactly one; '' when it is left empty. */
export function headerOf(mapping: MappingDraft, column: string): string {
  const source = mapping.columns[column]?.source;
  return source?.kind === 'csv' ? source.header : '';
}

/** True when the column uses a concatenation or constant (set in a mapping file). */
export function isCustom(mapping: MappingDraft, column: string): boolean {
  const source = mapping.columns[column]?.source;
  return source !== undefined && source.kind !== 'csv';
}

/** Maps a list column to a CSV header, or leaves it empty when `header` is ''. */
export function withHeader(mapping: MappingDraft, column: string, header: string): MappingDraft {
  const columns = { ...mapping.columns };
  if (header === '') delete columns[column];
  else columns[column] = { ...columns[column], source: { kind: 'csv', header } };
  return { ...mapping, columns };
}

/** The mapped list columns, in list order (what a hash id can be built from). */
export function mappedColumns(mapping: MappingDraft, listColumns: string[]): string[] {
  return listColumns.filter((column) => mapping.columns[column] !== undefined);
}
