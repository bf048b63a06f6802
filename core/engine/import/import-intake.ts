import { ImportFileWriter, contactCells, importRowProblem } from './import-file';
import type { RunLedger } from '../journal/run-ledger';
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
 * The reading side of a bulk import: marks every source row as read and either writes it to
 * the import file or settles it at once, like `RowIntake` does for the contacts strategy:
 * validation rejects and rows the import cannot carry are `rejected`, a second row with the
 * same contact id is `skipped` (in one import the later row would silently win). On a resume,
 * rows the journal already settled are only remembered for the duplicate check. Settlements are
 * committed once, when the file is closed (a crash before that re-reads and re-settles them).
 * Keeps one id → row entry per row (for the duplicate check), never the rows themselves.
 */
export async function writeImportFile(options: ImportIntakeOptions): Promise<void> {
  const { ledger, listColumns, idColumn, maxValueLength } = options;
  const idToRow = new Map<string, number>();
  const writer = await ImportFileWriter.create(options.filePath, options.columns);
  try {
    for await (const row of options.source()) {
      if (options.stopped()) break;
      const { rowNumber } = row;
      ledger.markRead(rowNumber);
      const contactId = row.ok ? row.contact.id : row.contactId;
      if (!options.retrying && ledger.isSettled(rowNumber)) {
        if (contactId !== undefined && !idToRow.has(contactId)) idToRow.set(contactId, rowNumber);
        continue;
      }
      if (!row.ok) {
        const rejected = {
          rowNumber,
          ...(contactId ? { contactId } : {}),
          ...(row.data ? { data: row.data } : {}),
        };
        const detail = { status: 0, reason: row.reason };
        ledger.settle('rejected', 'validation', [rejected], detail, false);
        continue;
      }
      const settledRow = { rowNumber, contactId: row.contact.id, data: row.contact.data };
      const problem = importRowProblem(row.contact, listColumns, idColumn, maxValueLength);
      if (problem !== undefined) {
        ledger.settle(
          'rejected',
          'import-file',
          [settledRow],
          { status: 0, reason: problem },
          false,
        );
        continue;
      }
      const firstRow = idToRow.get(row.contact.id);
      if (firstRow !== undefined) {
        const reason = `Same contact id "${row.contact.id}" as row ${firstRow}: the later row is skipped`;
        ledger.settle('skipped', '', [settledRow], { status: 0, reason }, false);
        continue;
      }
      idToRow.set(row.contact.id, rowNumber);
      await writer.writeLine(contactCells(row.contact, options.columns, idColumn));
      options.fileRows.push(rowNumber);
    }
  } finally {
    await writer.close();
    ledger.commit();
  }
}

/** The rows a `retry-failed` session imports again: failed rows with their id and data, in row order. */
export async function* failedRowsSource(ledger: RunLedger): AsyncGenerator<SourceRow> {
  const failed = ledger.rowsWith('failed').sort((a, b) => a.row - b.row);
  for (const row of failed) {
    if (row.contactId === undefined || row.data === undefined) continue;
    yield { rowNumber: row.row, ok: true, contact: { id: row.contactId, data: row.data } };
  }
}
