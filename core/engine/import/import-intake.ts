import { ImportFileWriter, contactCells, importRowProblem } from './import-file';
import type { RunLedger } from '../journal/run-ledger';
import { RowIntake } from '../run/row-intake';
import type { SourceRow } from '../types';

/** What the intake of a bulk import needs. */
export interface ImportIntakeOptions {
  source: () => AsyncIterable<SourceRow>;
  ledger: RunLedger;
  /** The import file to (re)create. */
  filePath: string;
  /** The file's header (`importColumns`). */
  columns: readonly string[];
  /** The contact list's columns. */
  listColumns: ReadonlySet<string>;
  idColumn: string;
  maxValueLength: number;
  /** Checked before each row: true stops reading (cancel). */
  stopped: () => boolean;
  /** A `retry-failed` session: rows settled (as failed) before are written again. */
  retrying: boolean;
  /** Receives the row number of every row written to the file, in file order. */
  fileRows: number[];
}

/**
 * The reading side of a bulk import: the shared `RowIntake` (reads, rejects, duplicate ids,
 * resume) with the import's own check (columns the list lacks, values over the length limit),
 * then every accepted row is written to the import file. Settlements are committed once, when
 * the file is closed (a crash before that re-reads and re-settles them).
 */
export async function writeImportFile(options: ImportIntakeOptions): Promise<void> {
  const { ledger, listColumns, idColumn, maxValueLength } = options;
  const intake = new RowIntake(ledger, options.retrying, (contact) => {
    const reason = importRowProblem(contact, listColumns, idColumn, maxValueLength);
    return reason === undefined ? undefined : { batch: 'import-file', status: 0, reason };
  });
  const writer = await ImportFileWriter.create(options.filePath, options.columns);
  try {
    for await (const row of options.source()) {
      if (options.stopped()) break;
      const accepted = intake.take(row);
      if (!accepted) continue;
      await writer.writeLine(contactCells(accepted.contact, options.columns, idColumn));
      options.fileRows.push(accepted.rowNumber);
    }
  } finally {
    await writer.close();
    ledger.commit();
  }
}
