import type { RunLedger } from '../journal/run-ledger';
import { RowIntake } from '../run/row-intake';
import type { PendingRow, SourceRow } from '../types';
import { Batcher, contactJson, type BatchLimits } from './batcher';

/**
 * The contacts strategy's intake: the shared `RowIntake` (reads, rejects, duplicate ids,
 * resume), then batches of at most `limits` contacts and bytes. A contact larger than a whole
 * request is rejected (413) here, since no batch could carry it.
 */
export class BatchIntake {
  private readonly rows: RowIntake;
  private readonly batcher: Batcher;

  constructor(
    private readonly ledger: RunLedger,
    private readonly contactListId: string,
    private readonly limits: BatchLimits,
    retrying: boolean,
  ) {
    this.rows = new RowIntake(ledger, retrying);
    this.batcher = new Batcher(limits);
  }

  /** Takes one row; returns the batches it closed (zero or one, rarely two). */
  accept(row: SourceRow): PendingRow[][] {
    const accepted = this.rows.take(row);
    if (!accepted) return [];
    const { rowNumber, contact } = accepted;
    const pending: PendingRow = {
      rowNumber,
      contact,
      json: contactJson(this.contactListId, contact),
    };
    const added = this.batcher.add(pending);
    if (added.tooLarge) {
      const reason = `The contact is ${added.bytes} bytes as JSON, more than the ${this.limits.maxBytes}-byte request limit`;
      const settled = { rowNumber, contactId: contact.id, data: contact.data };
      this.ledger.settle('rejected', 'batcher', [settled], { status: 413, reason }, false);
    }
    return added.full;
  }

  /** Closes the open batch (end of the source, or a cancel). */
  flush(): PendingRow[] | undefined {
    return this.batcher.flush();
  }
}
