import type { FailureDetail } from '../../contract/runs';
import type { RunLedger } from '../journal/run-ledger';
import type { EngineContact, SourceRow } from '../types';

/** A row the intake lets through: its number and its contact. */
export interface AcceptedRow {
  rowNumber: number;
  contact: EngineContact;
}

/** A strategy's own refusal of a contact before the duplicate check (e.g. a value too long). */
export type RowCheck = (contact: EngineContact) => (FailureDetail & { batch: string }) | undefined;

/**
 * The reading side of a run, shared by both strategies: marks every source row as read and
 * settles at once the rows that cannot be sent: validation rejects, rows the strategy's
 * `check` refuses, and a second row with the same contact id (in one upload or one import the
 * later row would silently overwrite the first). On a resume, rows the journal already settled
 * are only remembered (their ids still count for duplicate detection), never sent again, except
 * the rows a cancel recorded before their request was sent (`RunLedger.awaitsSending`). A
 * `retry-failed` session sends the journal's failed rows whatever was settled before, and
 * applies no duplicate check (each failed row was the first of its id when it was read).
 * Settlements here are buffered in the journal and committed at the next batch boundary: if
 * they are lost in a crash, the resume reads and settles those rows again, identically.
 */
export class RowIntake {
  private readonly idToRow = new Map<string, number>();

  constructor(
    private readonly ledger: RunLedger,
    private readonly retrying: boolean,
    private readonly check?: RowCheck,
  ) {}

  /** Takes one row; returns it when it is to be sent, undefined when it is settled or done. */
  take(row: SourceRow): AcceptedRow | undefined {
    const { rowNumber } = row;
    this.ledger.markRead(rowNumber);
    const contactId = row.ok ? row.contact.id : row.contactId;
    // A row a cancel recorded before sending it goes now, as if never read (its id is its own).
    if (
      !this.retrying &&
      this.ledger.isSettled(rowNumber) &&
      !this.ledger.awaitsSending(rowNumber)
    ) {
      if (contactId !== undefined && !this.idToRow.has(contactId))
        this.idToRow.set(contactId, rowNumber);
      return undefined;
    }
    if (!row.ok) {
      const rejected = {
        rowNumber,
        ...(contactId ? { contactId } : {}),
        ...(row.data ? { data: row.data } : {}),
      };
      this.ledger.settle(
        'rejected',
        'validation',
        [rejected],
        { status: 0, reason: row.reason },
        false,
      );
      return undefined;
    }
    const settledRow = { rowNumber, contactId: row.contact.id, data: row.contact.data };
    const problem = this.check?.(row.contact);
    if (problem !== undefined) {
      const { batch, ...detail } = problem;
      this.ledger.settle('rejected', batch, [settledRow], detail, false);
      return undefined;
    }
    const firstRow = this.idToRow.get(row.contact.id);
    if (!this.retrying && firstRow !== undefined && firstRow !== rowNumber) {
      const reason = `Same contact id "${row.contact.id}" as row ${firstRow}: the later row is skipped`;
      this.ledger.settle('skipped', '', [settledRow], { status: 0, reason }, false);
      return undefined;
    }
    this.idToRow.set(row.contact.id, rowNumber);
    return { rowNumber, contact: row.contact };
  }
}

/**
 * The rows a `retry-failed` session sends again: the journal's failed rows with the id and
 * data recorded for them, in row order. Rows recorded without them (a cancel before the row
 * was mapped) cannot be rebuilt and stay failed.
 */
export async function* failedRowsSource(
  ledger: RunLedger,
  only?: readonly number[],
): AsyncGenerator<SourceRow> {
  const wanted = only ? new Set(only) : undefined;
  const failed = ledger.rowsWith('failed').sort((a, b) => a.row - b.row);
  for (const row of failed) {
    if (row.contactId === undefined || row.data === undefined) continue;
    if (wanted && !wanted.has(row.row)) continue;
    yield { rowNumber: row.row, ok: true, contact: { id: row.contactId, data: row.data } };
  }
}
