import { Batcher, contactJson, type BatchLimits } from '../contacts/batcher';
import type { RunLedger } from '../journal/run-ledger';
import type { PendingRow, SourceRow } from '../types';

/**
 * The reading side of a run: marks every source row as read, settles at once the rows that
 * cannot be sent (validation rejects, a second row with the same contact id, a contact larger
 * than a whole request) and batches the rest. On a resume, rows the journal already settled
 * are only remembered (their ids still count for duplicate detection), never sent again.
 * Settlements here are buffered in the journal and committed at the next batch boundary: if
 * they are lost in a crash, the resume reads and settles those rows again, identically.
 */
export class RowIntake {
  private readonly idToRow = new Map<string, number>();
  private readonly batcher: Batcher;

  constructor(
    private readonly ledger: RunLedger,
    private readonly contactListId: string,
    private readonly limits: BatchLimits,
    /** `retry-failed` sessions resend rows the journal holds as failed. */
    private readonly retrying: boolean,
  ) {
    this.batcher = new Batcher(limits);
  }

  /** Takes one row; returns the batches it closed (zero or one, rarely two). */
  accept(row: SourceRow): PendingRow[][] {
    const { rowNumber } = row;
    this.ledger.markRead(rowNumber);
    const contactId = row.ok ? row.contact.id : row.contactId;
    if (!this.retrying && this.ledger.isSettled(rowNumber)) {
      if (contactId !== undefined && !this.idToRow.has(contactId))
        this.idToRow.set(contactId, rowNumber);
      return [];
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
      return [];
    }
    const settledRow = { rowNumber, contactId: row.contact.id, data: row.contact.data };
    const firstRow = this.idToRow.get(row.contact.id);
    if (!this.retrying && firstRow !== undefined && firstRow !== rowNumber) {
      const reason = `Same contact id "${row.contact.id}" as row ${firstRow}: the later row is skipped`;
      this.ledger.settle('skipped', '', [settledRow], { status: 0, reason }, false);
      return [];
    }
    this.idToRow.set(row.contact.id, rowNumber);
    const pending: PendingRow = {
      rowNumber,
      contact: row.contact,
      json: contactJson(this.contactListId, row.contact),
    };
    const added = this.batcher.add(pending);
    if (added.tooLarge) {
      const reason = `The contact is ${added.bytes} bytes as JSON, more than the ${this.limits.maxBytes}-byte request limit`;
      this.ledger.settle('rejected', 'batcher', [settledRow], { status: 413, reason }, false);
    }
    return added.full;
  }

  /** Closes the open batch (end of the source, or a cancel). */
  flush(): PendingRow[] | undefined {
    return this.batcher.flush();
  }
}
