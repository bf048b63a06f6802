import type {
  ContactList,
  ContactWriteFlags,
  ContactWriteRecord,
  ContactWriteSource,
  StoredContact,
} from './types';

/**
 * The simulated dialing queue of each contact (docs/GENESYS.md#contact-do-not-queue,
 * #contact-priority, #contact-clear-system-data). Genesys does not expose the queue; the Sandbox
 * keeps it so tests can show what a write does to a contact a campaign already dialed.
 */

/**
 * A list's contacts and the queue record of each, by contact id: the part of org-store.ts's
 * `ListState` the queue reads and changes. Declared here so the queue depends only on types.ts
 * and org-store.ts depends on the queue, never the other way round.
 */
export interface QueuedContacts {
  list: ContactList;
  contacts: Map<string, StoredContact>;
  /** Write counts, last flags and queue state per contact id (inspection only, never served). */
  records: Map<string, ContactWriteRecord>;
}

/** The record of a contact just created: queued (new contacts ignore doNotQueue), one write. */
export function newRecord(
  id: string,
  flags: ContactWriteFlags,
  source: ContactWriteSource,
): ContactWriteRecord {
  return {
    id,
    writes: source === 'seed' ? 0 : 1,
    lastFlags: source === 'api' ? { ...flags } : undefined,
    queueState: 'queued',
    queuedWithPriority: flags.priority,
    dialAttempts: 0,
  };
}

/**
 * Applies one update: counts the write, keeps the flags of an API write, clears the attempts on
 * `clearSystemData`, and re-queues the contact (first when `priority`) unless `doNotQueue`.
 * Imports carry no flags and so re-queue (docs/GENESYS.md#contact-do-not-queue, guessed).
 */
export function recordWrite(
  record: ContactWriteRecord,
  flags: ContactWriteFlags,
  source: ContactWriteSource,
): void {
  record.writes += 1;
  if (source === 'api') record.lastFlags = { ...flags };
  if (flags.clearSystemData) record.dialAttempts = 0;
  if (!flags.doNotQueue) {
    record.queueState = 'queued';
    record.queuedWithPriority = flags.priority;
  }
}

/**
 * Dials contacts as a running campaign would: the given ids, or every queued contact when `ids`
 * is omitted. Each leaves the queue, counts an attempt and gains a call record on the list's
 * first phone column. Unknown ids are ignored. Returns how many were dialed.
 */
export function dialContacts(
  state: QueuedContacts,
  ids: string[] | undefined,
  nowMs: number,
): number {
  const phoneColumn = state.list.phoneColumns[0]?.columnName ?? 'phone';
  let dialed = 0;
  for (const id of ids ?? [...state.records.keys()]) {
    const record = state.records.get(id);
    const contact = state.contacts.get(id);
    if (record === undefined || contact === undefined) continue;
    if (ids === undefined && record.queueState !== 'queued') continue;
    record.queueState = 'dialed';
    record.queuedWithPriority = false;
    record.dialAttempts += 1;
    contact.callRecords = {
      ...contact.callRecords,
      [phoneColumn]: {
        lastAttempt: new Date(nowMs).toISOString(),
        lastResult: 'ININ-OUTBOUND-NO-ANSWER',
      },
    };
    dialed += 1;
  }
  return dialed;
}
