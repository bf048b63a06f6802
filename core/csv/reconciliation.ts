import { writeTableFile } from './table-writer';

/** The columns of a reconciliation file, one row per source row. */
export const RECONCILIATION_COLUMNS = [
  'Source row',
  'CRM id',
  'Genesys contact id',
  'Outcome',
  'Reason',
  'Contact id from',
] as const;

/**
 * What became of a source row in a run: one of the run's accounting sets, or `pending` when the
 * run has not settled the row yet (paused, interrupted, or still going).
 */
export type ReconciliationOutcome = 'uploaded' | 'rejected' | 'failed' | 'skipped' | 'pending';

/** One source row's fate. */
export interface ReconciliationRecord {
  /** The row number in the source file (header = row 1), as every Sluice report counts. */
  sourceRow: number;
  /** The customer's own id for the row (the mapped id column, or the key columns joined). */
  crmId: string;
  /** The contact id in Genesys ('' when the row never got one, e.g. rejected without an id). */
  contactId: string;
  outcome: ReconciliationOutcome;
  /** Why the row was not uploaded ('' for uploaded rows). */
  reason?: string;
  /** How the contact id was chosen, when it differs from the writer's `idFrom`. */
  idFrom?: string;
}

/** Options of `writeReconciliation`. */
export interface ReconciliationOptions {
  /**
   * How the contact ids were chosen, written on every row that does not say otherwise: e.g.
   * "returned by Genesys", or for the import strategy, which returns no ids, "chosen by Sluice:
   * the CustomerId column, sent as the import's contact id column".
   */
  idFrom?: string;
}

/** What a reconciliation file holds. */
export interface ReconciliationSummary {
  rows: number;
  byOutcome: Record<ReconciliationOutcome, number>;
}

/**
 * Writes the reconciliation of a run: one row per source row with its source row number, CRM
 * id, Genesys contact id, outcome and reason, so a consultant can join Genesys contacts back to
 * their CRM. CSV (UTF-8 with BOM, formula-safe) or, when `path` ends in .xlsx, a workbook.
 * Rows are written in the order given (feed them in source row order). Pure: the records come
 * from the caller (the run's journal); nothing else is read. A failed write removes the file.
 */
export async function writeReconciliation(
  records: Iterable<ReconciliationRecord> | AsyncIterable<ReconciliationRecord>,
  path: string,
  options: ReconciliationOptions = {},
): Promise<ReconciliationSummary> {
  const summary: ReconciliationSummary = {
    rows: 0,
    byOutcome: { uploaded: 0, rejected: 0, failed: 0, skipped: 0, pending: 0 },
  };
  const writerOptions = { bom: true, formulaSafe: true, sheetName: 'Reconciliation' };
  await writeTableFile(path, writerOptions, async (writer) => {
    writer.writeRow(RECONCILIATION_COLUMNS);
    for await (const record of records) {
      writer.writeRow([
        String(record.sourceRow),
        record.crmId,
        record.contactId,
        record.outcome,
        record.reason ?? '',
        record.idFrom ?? options.idFrom ?? '',
      ]);
      summary.rows += 1;
      summary.byOutcome[record.outcome] += 1;
      await writer.flushIfFull();
    }
  });
  return summary;
}
