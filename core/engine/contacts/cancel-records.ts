import { CANCELLED_NOT_SENT_CODE, type FailureDetail } from '../../contract/runs';
import { countOf } from '../../text/count';
import type { RunLedger } from '../journal/run-ledger';
import type { PendingRow } from '../types';

/** Batches a cancel finds unsettled: queued, parked, or the open one still filling. */
export interface CancelledBatch {
  id: string;
  rows: readonly PendingRow[];
  /** A request of it went out and drew no definite answer (a 5xx or a network error). */
  possiblyStored?: boolean;
}

/** The reason of a row the cancel recorded before its request was sent. */
export const NOT_SENT_REASON = 'Cancelled before it was sent: resuming the run sends it';

/** The reason of a row whose request went out without a definite answer before the cancel. */
export const UNCONFIRMED_REASON =
  'Cancelled after it was sent, before Genesys confirmed it: it may or may not be stored; retry it';

/**
 * Records what a cancel left (docs/ARCHITECTURE.md, "Cancel and the rest of the file"): the cancel
 * waits for requests in flight, so a row is either acknowledged, or was never sent (no request
 * of its batch left, or each one drew a definite refusal such as a 429: Genesys stored nothing),
 * or was sent and drew no definite answer (a 5xx or a network error, its retry not yet made).
 * The first kind is failed with `CANCELLED_NOT_SENT_CODE`, which a resume sends again; the second
 * keeps `unconfirmedReason` and waits for an explicit retry. Buffered, committed by the caller:
 * a crash before the commit leaves these rows without an outcome, and a resume sends them.
 */
export function recordCancelled(
  ledger: RunLedger,
  batches: readonly CancelledBatch[],
  unconfirmedReason: string,
  notSentReason = NOT_SENT_REASON,
): { notSent: number; unconfirmed: number } {
  let notSent = 0;
  let unconfirmed = 0;
  for (const batch of batches) {
    const detail: FailureDetail = batch.possiblyStored
      ? { status: 0, reason: unconfirmedReason, code: 'cancelled-unconfirmed' }
      : { status: 0, reason: notSentReason, code: CANCELLED_NOT_SENT_CODE };
    const rows = batch.rows.map((r) => ({
      rowNumber: r.rowNumber,
      contactId: r.contact.id,
      data: r.contact.data,
    }));
    ledger.settle('failed', batch.id, rows, detail, false);
    if (batch.possiblyStored) unconfirmed += rows.length;
    else notSent += rows.length;
  }
  return { notSent, unconfirmed };
}

/** The reason of a row whose request went out without a definite answer before a stop. */
export const STOPPED_UNCONFIRMED_REASON =
  'Sent before the run stopped, without a confirmed answer from Genesys: it may or may not be stored; retry it';

/**
 * The reason of a row a stop left unstored: unsent, or refused by the answer that stopped the run
 * (a 403 or 404 no retry fixes: Genesys stored nothing), and that resuming the run sends it once
 * that is fixed.
 */
export function stoppedNotSentReason(stopReason: string): string {
  return `Not stored: the run stopped (${stopReason.replace(/\.$/, '')}). Once that is fixed, resuming the run sends it`;
}

/**
 * The headline of a stopped run: what stopped it, then how many rows read were never sent and
 * how the rest goes once the cause is fixed.
 */
export function stoppedRunReason(stopReason: string, notSent: number): string {
  return `${stopReason} ${
    notSent > 0
      ? `${countOf(notSent, 'row')} read before the stop ${notSent === 1 ? 'was' : 'were'} not stored; once that is fixed, resuming the run sends them with the rows it never read.`
      : 'Once that is fixed, resuming the run sends the rows it never read, if any.'
  }`;
}

/**
 * The headline of a cancelled run: how many rows read were never sent (`notSent`, every such
 * row of the run, earlier cancels' included) and how many went out without an answer.
 */
export function cancelledRunReason(notSent: number, unconfirmed: number): string {
  const parts = ['The run was cancelled.'];
  parts.push(
    notSent > 0
      ? `${countOf(notSent, 'row')} read before the cancel ${notSent === 1 ? 'was' : 'were'} never sent; resuming the run sends them with the rows it never read.`
      : 'Every row it read was sent; resuming the run sends the rows it never read, if any.',
  );
  if (unconfirmed > 0)
    parts.push(
      `${countOf(unconfirmed, 'row')} sent without a confirmed answer ${unconfirmed === 1 ? 'is' : 'are'} recorded as failed, for a retry.`,
    );
  return parts.join(' ');
}
