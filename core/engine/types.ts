/**
 * The engine's input and bookkeeping types. Rows arrive already mapped (the CSV pipeline owns
 * decoding, mapping and validation); the engine owns batching, pacing, retries and accounting.
 */

import type { MappedContact } from '../csv';

/**
 * A contact ready to post: the CSV pipeline's `MappedContact` (one type, not two). Its `id`
 * is deterministic so every retry is an idempotent upsert.
 */
export type EngineContact = MappedContact;

/**
 * One source row as the engine reads it. `rowNumber` is the row's stable position in the
 * source (1-based data rows), the key of the accounting: a resume re-reads the source and
 * skips the row numbers the journal already settled. Rows the CSV validation refused arrive
 * as `rejected` so they count in the run's accounting.
 */
export type SourceRow =
  | { rowNumber: number; ok: true; contact: EngineContact }
  | {
      rowNumber: number;
      ok: false;
      contactId?: string;
      data?: Record<string, string>;
      reason: string;
    };

/** A row on its way: the contact plus its JSON form (serialised once, reused for every retry). */
export interface PendingRow {
  rowNumber: number;
  contact: EngineContact;
  json: string;
}

/** Where a row ended: the four sets of the invariant (docs/ARCHITECTURE.md, The accounting invariant). */
export type RowOutcome = 'uploaded' | 'rejected' | 'failed' | 'skipped';
