import type { MappingDraft } from './mapping-model';

/** A file as it was read: what tells whether it changed since (its size and its headers). */
export interface FileMark {
  sizeBytes: number;
  headers: string[];
}

/**
 * What changed in the file since it was read before the reload, in a sentence, or undefined when
 * its size and headers are the same.
 */
export function fileChange(
  before: FileMark | undefined,
  now: FileMark,
  headersUsed: string[],
): string | undefined {
  if (!before) return undefined;
  const sameHeaders =
    before.headers.length === now.headers.length &&
    before.headers.every((header, index) => header === now.headers[index]);
  if (sameHeaders && before.sizeBytes === now.sizeBytes) return undefined;
  const present = new Set(now.headers);
  const missing = [...new Set(headersUsed.filter((header) => !present.has(header)))];
  const what = sameHeaders ? 'its size changed' : 'its columns changed';
  const consequence =
    missing.length > 0
      ? ` The mapping reads ${missing.map((header) => `“${header}”`).join(', ')}, which the file no longer has: remap before checking.`
      : ' The mapping is kept as it was: look at the preview and check the whole file again.';
  return `The file changed since it was read before the reload (${what}).${consequence}`;
}

/**
 * The CSV headers a mapping reads (a column's own, or the parts of a concatenation, and the
 * contact id's CSV column).
 */
export function headersRead(mapping: MappingDraft): string[] {
  const idHeader = mapping.contactId.kind === 'csv-column' ? [mapping.contactId.header] : [];
  return idHeader.concat(
    Object.values(mapping.columns).flatMap(({ source }) =>
      source.kind === 'csv'
        ? [source.header]
        : source.kind === 'concat'
          ? source.parts.flatMap((part) => (part.kind === 'csv' ? [part.header] : []))
          : [],
    ),
  );
}
