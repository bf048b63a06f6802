// The Sandbox's state of one org: contact lists, their contacts and write records, imports and
// the list and org capacity rules (docs/GENESYS.md). Over 300 lines on purpose: it is the one
// place a simulated org's data changes, so every rule that guards a write sits here.
import { randomUUID } from 'node:crypto';
import { dialContacts, newRecord, recordWrite, type QueuedContacts } from './contact-queue';
import type { ValidContact } from './contact-validation';
import { SandboxHttpError, notFound } from './http-kit';
import type {
  ContactList,
  ContactRules,
  ContactWriteFlags,
  ContactWriteSource,
  SandboxOrgConfig,
  SeedList,
  StoredContact,
} from './types';

/**
 * An import job's progress (see import-flow.ts), as `GET .../importstatus` reports it. `state`
 * is only ever `IN_PROGRESS` or `FAILED`, or absent once finished
 * (docs/GENESYS.md#import-status-states).
 */
export interface ImportStatusView {
  state?: 'IN_PROGRESS' | 'FAILED';
  totalRecords: number;
  completedRecords: number;
  percentComplete: number;
  failureReason?: string;
}

/** Contacts an import added at a moment, for the lagging list size (docs/GENESYS.md#list-size-lag). */
interface SizeEvent {
  atMs: number;
  added: number;
}

/** One list and its contacts; contacts are kept in a Map for O(1) upsert by id. */
export interface ListState extends QueuedContacts {
  importStatus: ImportStatusView | undefined;
  sizeEvents: SizeEvent[];
  /** True while a file import writes into the list (contact writes then answer 409). */
  importRunning: boolean;
}

/** How a write reached the list: an API upsert with its query flags, an import, or a seed. */
export interface UpsertOptions extends Partial<ContactWriteFlags> {
  source?: ContactWriteSource;
  /** When the write happened (for the lagging size of imports). */
  nowMs?: number;
}

const DIVISION = {
  id: 'home-division',
  name: 'Home',
  selfUri: '/api/v2/authorization/divisions/home-division',
};

/**
 * Everything one simulated org holds: lists and contacts. Stored objects are returned as-is
 * (no copies: the benchmark pushes ~100k contacts through), so callers must not mutate them.
 * Caps from the help article "Create a new contact list" (docs/GENESYS.md#list-capacity).
 */
export class OrgStore {
  readonly lists = new Map<string, ListState>();
  private contactTotal = 0;

  constructor(
    readonly org: SandboxOrgConfig,
    private readonly rules: ContactRules,
  ) {
    for (const seed of org.lists) this.seed(seed);
  }

  /** Contacts held across all lists of the org. */
  get contactCount(): number {
    return this.contactTotal;
  }

  /** Creates a list after checking names, column caps and the per-org list cap. */
  createList(input: Partial<ContactList> & { name: string; columnNames: string[] }): ContactList {
    if (this.lists.size >= this.rules.maxListsPerOrg) {
      throw bad(
        `This org already has ${this.lists.size} contact lists (the maximum is ${this.rules.maxListsPerOrg}).`,
      );
    }
    const list = this.normaliseList(input, randomUUID(), 1);
    for (const existing of this.lists.values()) {
      if (existing.list.name.toLowerCase() === list.name.toLowerCase()) {
        throw new SandboxHttpError(
          400,
          'name.exists',
          `A contact list named '${list.name}' already exists.`,
        );
      }
    }
    this.lists.set(list.id, emptyState(list));
    return list;
  }

  /** Replaces a list's definition; `version` must match when given (optimistic locking). */
  updateList(id: string, input: unknown): ContactList {
    const state = this.getList(id);
    if (typeof input !== 'object' || input === null)
      throw bad('The request body must be a contact list.');
    const body = input as Partial<ContactList>;
    if (body.version !== undefined && body.version !== state.list.version) {
      throw new SandboxHttpError(
        409,
        'resource.conflict',
        `The contact list was changed by someone else (version ${state.list.version}, you sent ${body.version}). Reload it and retry.`,
      );
    }
    const merged = {
      ...state.list,
      ...body,
      id,
      name: body.name ?? state.list.name,
      columnNames: body.columnNames ?? state.list.columnNames,
    };
    const list = this.normaliseList(merged, id, state.list.version + 1, state.list.dateCreated);
    state.list = list;
    return list;
  }

  /**
   * Adds file columns the list does not have yet (an import keeps every file column,
   * docs/GENESYS.md#import-extra-columns); the caller has checked the column cap.
   */
  appendColumns(state: ListState, columns: string[]): void {
    if (columns.length === 0) return;
    state.list = {
      ...state.list,
      columnNames: [...state.list.columnNames, ...columns],
      version: state.list.version + 1,
      dateModified: new Date().toISOString(),
    };
  }

  /** Deletes a list and its contacts. */
  deleteList(id: string): void {
    const state = this.getList(id);
    this.contactTotal -= state.contacts.size;
    this.lists.delete(id);
  }

  /** The list with this id, or a 404 naming it. */
  getList(id: string): ListState {
    const state = this.lists.get(id);
    if (state === undefined) throw notFound('contact list', id);
    return state;
  }

  /**
   * Upserts validated contacts: a known id updates data (call records kept unless
   * `clearSystemData`), an unknown or missing id creates a contact (server UUID when missing,
   * docs/GENESYS.md#contact-upsert-by-id). An update with `doNotQueue` keeps the contact's queue
   * state; without it the contact is queued again, first when `priority`
   * (docs/GENESYS.md#contact-do-not-queue). Checks the list and org caps for the whole request
   * before storing anything (docs/GENESYS.md#list-capacity).
   */
  upsert(state: ListState, contacts: ValidContact[], options: UpsertOptions = {}): StoredContact[] {
    let added = 0;
    for (const contact of contacts)
      if (contact.id === undefined || !state.contacts.has(contact.id)) added += 1;
    this.checkCapacity(state, added);
    const flags: ContactWriteFlags = {
      doNotQueue: options.doNotQueue ?? false,
      priority: options.priority ?? false,
      clearSystemData: options.clearSystemData ?? false,
    };
    const source = options.source ?? 'api';
    const listId = state.list.id;
    const stored: StoredContact[] = new Array(contacts.length);
    for (let index = 0; index < contacts.length; index += 1) {
      const contact = contacts[index] as ValidContact;
      const id = contact.id ?? randomUUID();
      const existing = state.contacts.get(id);
      if (existing !== undefined) {
        existing.data = contact.data;
        if (contact.callable !== undefined) existing.callable = contact.callable;
        if (contact.phoneNumberStatus !== undefined)
          existing.phoneNumberStatus = contact.phoneNumberStatus;
        if (flags.clearSystemData) existing.callRecords = {};
        const record = state.records.get(id);
        if (record !== undefined) recordWrite(record, flags, source);
        stored[index] = existing;
        continue;
      }
      const created: StoredContact = {
        id,
        contactListId: listId,
        data: contact.data,
        callable: contact.callable ?? true,
        phoneNumberStatus: contact.phoneNumberStatus ?? {},
        callRecords: {},
        selfUri: `/api/v2/outbound/contactlists/${listId}/contacts/${encodeURIComponent(id)}`,
      };
      state.contacts.set(id, created);
      state.records.set(id, newRecord(id, flags, source));
      this.contactTotal += 1;
      stored[index] = created;
    }
    if (source === 'import' && added > 0)
      state.sizeEvents.push({ atMs: options.nowMs ?? Date.now(), added });
    return stored;
  }

  /**
   * The list size `GET .../contactlists/{id}?includeSize=true` reports: contacts an import added
   * within the last `lagMs` are not counted yet (docs/GENESYS.md#list-size-lag).
   */
  reportedSize(state: ListState, nowMs: number, lagMs: number): number {
    if (lagMs <= 0 || state.sizeEvents.length === 0) return state.contacts.size;
    state.sizeEvents = state.sizeEvents.filter((event) => event.atMs > nowMs - lagMs);
    let pending = 0;
    for (const event of state.sizeEvents) pending += event.added;
    return Math.max(0, state.contacts.size - pending);
  }

  /**
   * Marks contacts as dialed, as a running campaign would (all queued contacts when `ids` is
   * omitted). Returns how many were dialed (see contact-queue.ts).
   */
  markDialed(state: ListState, ids: string[] | undefined, nowMs: number): number {
    return dialContacts(state, ids, nowMs);
  }

  /** Refuses a write that would take the list or the org past its contact cap (a request-level error). */
  private checkCapacity(state: ListState, added: number): void {
    const listMax = this.rules.maxContactsPerList;
    if (state.contacts.size + added > listMax) {
      throw new SandboxHttpError(
        400,
        'contact.list.size.limit.exceeded',
        `The contact list '${state.list.name}' has ${state.contacts.size} contacts; adding ${added} would exceed its limit of ${listMax}. Remove contacts or use another list.`,
      );
    }
    const orgMax = this.rules.maxContactsPerOrg;
    if (this.contactTotal + added > orgMax) {
      throw new SandboxHttpError(
        400,
        'org.contact.limit.exceeded',
        `The organization has ${this.contactTotal} contacts; adding ${added} would exceed its limit of ${orgMax}. Delete old or obsolete contacts first.`,
      );
    }
  }

  /** Removes contacts by id; unknown ids are ignored (as the API does). Returns how many went. */
  removeContacts(state: ListState, ids: string[]): number {
    let removed = 0;
    for (const id of ids) {
      if (!state.contacts.delete(id)) continue;
      state.records.delete(id);
      removed += 1;
    }
    this.contactTotal -= removed;
    return removed;
  }

  /** Empties a list (`POST .../clear`). */
  clearList(state: ListState): void {
    this.contactTotal -= state.contacts.size;
    state.contacts.clear();
    state.records.clear();
    state.sizeEvents = [];
  }

  private seed(seed: SeedList): void {
    const id = seed.id ?? randomUUID();
    const list = this.normaliseList(seed, id, 1);
    const state = emptyState(list);
    this.lists.set(id, state);
    const contacts = (seed.contacts ?? []).map((contact) => ({
      id: contact.id,
      data: contact.data,
      callable: undefined,
      phoneNumberStatus: undefined,
    }));
    if (contacts.length > 0) this.upsert(state, contacts, { source: 'seed' });
  }

  private normaliseList(
    input: Partial<ContactList> & { name?: unknown; columnNames?: unknown },
    id: string,
    version: number,
    dateCreated?: string,
  ): ContactList {
    if (typeof input.name !== 'string' || input.name.trim() === '')
      throw bad('A contact list needs a name.');
    if (
      !Array.isArray(input.columnNames) ||
      input.columnNames.length === 0 ||
      !input.columnNames.every((c) => typeof c === 'string' && c !== '')
    ) {
      throw bad('A contact list needs columnNames: a non-empty array of column names.');
    }
    const columnNames = input.columnNames as string[];
    if (columnNames.length > this.rules.maxColumns) {
      throw bad(
        `A contact list may have at most ${this.rules.maxColumns} columns; this one has ${columnNames.length}.`,
      );
    }
    const tooLong = columnNames.find((column) => column.length > this.rules.maxColumnNameLength);
    if (tooLong !== undefined) {
      throw bad(
        `Column name '${tooLong.slice(0, 40)}...' is longer than ${this.rules.maxColumnNameLength} characters.`,
      );
    }
    if (new Set(columnNames.map((c) => c.toLowerCase())).size !== columnNames.length) {
      throw bad('Column names must be unique (case-insensitive).');
    }
    const known = new Set(columnNames);
    const phoneColumns = input.phoneColumns ?? [];
    const emailColumns = input.emailColumns ?? [];
    const specs = input.columnDataTypeSpecifications ?? [];
    for (const column of [...phoneColumns, ...emailColumns, ...specs]) {
      if (!known.has(column.columnName))
        throw bad(`Column '${column.columnName}' is referenced but is not in columnNames.`);
    }
    if (phoneColumns.length > this.rules.maxPhoneColumns) {
      throw bad(
        `A contact list may have at most ${this.rules.maxPhoneColumns} phone columns; this one has ${phoneColumns.length}.`,
      );
    }
    if (phoneColumns.length === 0 && emailColumns.length === 0) {
      throw bad('A contact list needs at least one phone or email column.');
    }
    const now = new Date().toISOString();
    return {
      id,
      name: input.name,
      dateCreated: dateCreated ?? input.dateCreated ?? now,
      dateModified: now,
      version,
      division: DIVISION,
      columnNames,
      phoneColumns,
      emailColumns,
      ...(input.previewModeColumnName === undefined
        ? {}
        : { previewModeColumnName: input.previewModeColumnName }),
      ...(input.previewModeAcceptedValues === undefined
        ? {}
        : { previewModeAcceptedValues: input.previewModeAcceptedValues }),
      automaticTimeZoneMapping: input.automaticTimeZoneMapping ?? false,
      ...(input.zipCodeColumnName === undefined
        ? {}
        : { zipCodeColumnName: input.zipCodeColumnName }),
      columnDataTypeSpecifications: specs,
      trimWhitespace: input.trimWhitespace ?? false,
      selfUri: `/api/v2/outbound/contactlists/${id}`,
    };
  }
}

function emptyState(list: ContactList): ListState {
  return {
    list,
    contacts: new Map(),
    records: new Map(),
    importStatus: undefined,
    sizeEvents: [],
    importRunning: false,
  };
}

function bad(message: string): SandboxHttpError {
  return new SandboxHttpError(400, 'bad.request', message);
}
