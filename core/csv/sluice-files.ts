import { restoreNeutralised } from './formula-safety';

/** Columns Sluice puts before the original cells in a prepare rejects file. */
export const REJECT_COLUMNS = ['Sluice row', 'Sluice rules', 'Sluice reasons'] as const;

/** Columns before the data in a run's failed/rejected rows export (core/engine/run/run-files.ts). */
export const RUN_ROWS_COLUMNS = [
  'row',
  'contactId',
  'reason',
  'status',
  'code',
  'correlationId',
] as const;

/** Which of Sluice's own files a file is, recognised by its Sluice columns. */
export type SluiceFileKind = 'prepare-rejects' | 'run-rows';

const KINDS: ReadonlyArray<{ kind: SluiceFileKind; columns: readonly string[] }> = [
  { kind: 'prepare-rejects', columns: REJECT_COLUMNS },
  { kind: 'run-rows', columns: RUN_ROWS_COLUMNS },
];

/** How to read a Sluice file back as the data it came from. */
export interface SluiceFileReading {
  kind: SluiceFileKind;
  /** The Sluice columns found (and dropped), as written in the header. */
  droppedColumns: string[];
  /** The header without Sluice's columns (and without Sluice's `'` marks). */
  header: string[];
  /** A row's cells without Sluice's columns and marks (cells past the header are kept, for shape checks). */
  restore(values: readonly string[]): string[];
}

/**
 * Recognises a rejects file or a run's rows export that a consultant fixed in a spreadsheet:
 * its header holds all of that file's Sluice columns (anywhere, in case columns were moved).
 * Reading it back drops those columns and undoes Sluice's formula neutralisation, so a fixed
 * row prepares or uploads with its original values. Returns undefined for any other file.
 */
export function recogniseSluiceFile(rawHeader: readonly string[]): SluiceFileReading | undefined {
  const header = rawHeader.map((cell) => restoreNeutralised(cell.trim()));
  for (const { kind, columns } of KINDS) {
    const positions = columns.map((column) => header.indexOf(column));
    if (positions.some((position) => position === -1)) continue;
    const dropped = new Set(positions);
    const keep = header.map((_cell, index) => index).filter((index) => !dropped.has(index));
    const width = rawHeader.length;
    return {
      kind,
      droppedColumns: [...columns],
      header: keep.map((index) => restoreNeutralised(rawHeader[index]!)),
      restore: (values) => {
        // A short row stays short (so its shape problem is still reported).
        const restored: string[] = [];
        for (const index of keep)
          if (index < values.length) restored.push(restoreNeutralised(values[index]!));
        for (let index = width; index < values.length; index += 1)
          restored.push(restoreNeutralised(values[index]!));
        return restored;
      },
    };
  }
  return undefined;
}
