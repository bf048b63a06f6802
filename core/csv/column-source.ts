import type { ColumnSource } from './mapping';

/**
 * The CSV headers a column source reads. Lives apart from mapping.ts (and its zod schemas) so
 * the row mapper, and with it the prepare worker, starts without loading zod (~0.2 s). It takes
 * only mapping.ts's types, and mapping.ts does not import it, so the two never form a cycle.
 */
export function sourceHeaders(source: ColumnSource): string[] {
  if (source.kind === 'csv') return [source.header];
  if (source.kind === 'concat')
    return source.parts.flatMap((part) => (part.kind === 'csv' ? [part.header] : []));
  return [];
}
