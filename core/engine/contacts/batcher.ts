import type { EngineContact, PendingRow } from '../types';

/** Batch limits (docs/GENESYS.md#request-caps: guessed, so configurable): contacts and JSON bytes per POST. */
export interface BatchLimits {
  maxContacts: number;
  maxBytes: number;
}

/** Defaults: 1,000 contacts and 512,000 bytes per request. */
export const defaultBatchLimits: BatchLimits = { maxContacts: 1000, maxBytes: 512_000 };

/** The JSON of one contact as POST /contactlists/{id}/contacts expects it (WritableDialerContact). */
export function contactJson(contactListId: string, contact: EngineContact): string {
  return JSON.stringify({ id: contact.id, contactListId, data: contact.data, callable: true });
}

/** The request body for a batch, built from the pre-serialised rows (no re-serialisation). */
export function batchBody(rows: readonly PendingRow[]): string {
  return `[${rows.map((row) => row.json).join(',')}]`;
}

/** Size in bytes of `batchBody(rows)`: brackets, commas and UTF-8 bytes of every row. */
export function batchBytes(rows: readonly PendingRow[]): number {
  let bytes = 2 + Math.max(0, rows.length - 1);
  for (const row of rows) bytes += Buffer.byteLength(row.json);
  return bytes;
}

/** What adding a row produced: batches that are now full, or the row alone is too large. */
export type BatcherAddResult =
  | { tooLarge: false; full: PendingRow[][] }
  | { tooLarge: true; full: PendingRow[][]; bytes: number };

/**
 * Fills batches up to `maxContacts` AND `maxBytes` (the JSON body as sent). A row that cannot
 * fit even alone is reported as too large (the run records it as rejected) instead of being
 * posted to draw a 413.
 */
export class Batcher {
  private current: PendingRow[] = [];
  private currentBytes = 2;

  constructor(private readonly limits: BatchLimits = defaultBatchLimits) {
    if (limits.maxContacts < 1 || limits.maxBytes < 3) {
      throw new RangeError('Batch limits must allow at least one contact and three bytes');
    }
  }

  /** Adds a row; returns the batches that this row closed (zero or one). */
  add(row: PendingRow): BatcherAddResult {
    const rowBytes = Buffer.byteLength(row.json);
    if (rowBytes + 2 > this.limits.maxBytes) {
      return { tooLarge: true, full: [], bytes: rowBytes + 2 };
    }
    const full: PendingRow[][] = [];
    const extra = this.current.length === 0 ? rowBytes : rowBytes + 1;
    if (this.currentBytes + extra > this.limits.maxBytes) full.push(this.take());
    this.currentBytes += this.current.length === 0 ? rowBytes : rowBytes + 1;
    this.current.push(row);
    if (this.current.length >= this.limits.maxContacts) full.push(this.take());
    return { tooLarge: false, full };
  }

  /** Number of rows waiting in the open batch. */
  get openRows(): number {
    return this.current.length;
  }

  /** Closes and returns the open batch, if it has rows. */
  flush(): PendingRow[] | undefined {
    return this.current.length > 0 ? this.take() : undefined;
  }

  private take(): PendingRow[] {
    const batch = this.current;
    this.current = [];
    this.currentBytes = 2;
    return batch;
  }
}

/** Splits a batch in two halves for bisection (400/413/422 isolate the offending rows). */
export function splitBatch<T>(rows: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(rows.length / 2);
  return [rows.slice(0, middle), rows.slice(middle)];
}
