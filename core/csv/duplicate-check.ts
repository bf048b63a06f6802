import { CsvFileError } from './errors';
import { FingerprintTable } from './fingerprint-table';
import type { Mapping } from './mapping';
import { formatRowNumber } from './problems';

/**
 * Duplicate-id decisions. 'keep-first' works in one pass (the mapper remembers ids it saw);
 * 'keep-last' and 'reject-all' need an index of the whole file from a first pass
 * (`DuplicateIndex`, built by `prepareCsv`); 'off' checks nothing (used for that first pass).
 */
export type DuplicateCheck =
  | { mode: 'off' }
  | { mode: 'keep-first' }
  | { mode: 'keep-last' | 'reject-all'; index: FingerprintTable };

/** Whether a row's contact id is accepted, and why not. */
export interface DuplicateDecider {
  accept(id: string, rowNumber: number): boolean;
  reason(id: string): string;
}

/**
 * The decider for one pass over a file. Throws CsvFileError ('invalid-mapping') when the
 * mapping's policy needs an index of the whole file and none is given.
 */
export function duplicateCheck(
  mapping: Mapping,
  check: DuplicateCheck | undefined,
  expectedRows: number,
): DuplicateDecider {
  const resolved =
    check ?? (mapping.duplicateIds === 'keep-first' ? { mode: 'keep-first' as const } : undefined);
  if (!resolved) {
    throw new CsvFileError(
      'invalid-mapping',
      'the mapping',
      `Duplicate policy "${mapping.duplicateIds}" needs the whole file read first: use prepareCsv, or pass a DuplicateIndex`,
    );
  }
  switch (resolved.mode) {
    case 'off':
      return { accept: () => true, reason: () => '' };
    case 'keep-first': {
      const seen = new FingerprintTable(false, expectedRows);
      return {
        accept: (id) => seen.add(id),
        reason: () => 'repeats the contact id of an earlier row (keeping the first)',
      };
    }
    case 'keep-last':
      return {
        accept: (id, rowNumber) => resolved.index.lastRow(id) === rowNumber,
        reason: (id) =>
          `has the same contact id as row ${formatRowNumber(resolved.index.lastRow(id))} (keeping the last)`,
      };
    case 'reject-all':
      return {
        accept: (id) => resolved.index.count(id) <= 1,
        reason: (id) =>
          `shares its contact id with ${resolved.index.count(id) - 1} other row(s) (rejecting all of them)`,
      };
  }
}
