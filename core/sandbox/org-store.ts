import { randomUUID } from 'node:crypto';
import type { ValidContact } from './contact-validation';
import { SandboxHttpError, notFound } from './http-kit';
import type { ContactList, ContactRules, SandboxOrgConfig, SeedList, StoredContact } from './types';

/** An import job's progress (see import-flow.ts), as `GET .../importstatus` reports it. */
export interface ImportStatusView {
  state: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  totalRecords: number;
  completedRecords: number;
  percentComplete: number;
  failureReason?: string;
}

/** One list and its contacts; contacts are kept in a Map for O(1) upsert by id. */
export interface ListState {
  list: ContactList;
  contacts: Map<string, StoredContact>;
  importStatus: ImportStatusView | undefined;
}

const DIVISION = {
  id: 'home-division',
  name: 'Home',
  selfUri: '/api/v2/authorization/divisions/home-division',
};

/**
 * Everything one simulated org holds: lists and contacts. Stored objects are returned as-is
 * (no copies: the benchmark pushes ~100k contacts through), so callers must not mutate them.
 * Caps from the help article "Create a new contact list" (DESIGN.md §2).
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
    this.lists.set(list.id, { list, contacts: new Map(), importStatus: undefined });
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
   * DESIGN.md §2). Checks the list and org caps for the whole request before storing anything.
   */
  upsert(state: ListState, contacts: ValidContact[], clearSystemData: boolean): StoredContact[] {
    let added = 0;
    for (const contact of contacts)
      if (contact.id === undefined || !state.contacts.has(contact.id)) added += 1;
    if (state.contacts.size + added > this.rules.maxContactsPerList) {
      throw bad(`The contact list would exceed ${this.rules.maxContactsPerList} contacts.`);
    }
    if (this.contactTotal + added > this.rules.maxContactsPerOrg) {
      throw bad(`The org would exceed ${this.rules.maxContactsPerOrg} contacts.`);
    }
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
        if (clearSystemData) existing.callRecords = {};
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
      this.contactTotal += 1;
      stored[index] = created;
    }
    return stored;
  }

  /** Removes contacts by id; unknown ids are ignored (as the API does). Returns how many went. */
  removeContacts(state: ListState, ids: string[]): number {
    let removed = 0;
    for (const id of ids) if (state.contacts.delete(id)) removed += 1;
    this.contactTotal -= removed;
    return removed;
  }

  /** Empties a list (`POST .../clear`). */
  clearList(state: ListState): void {
    this.contactTotal -= state.contacts.size;
    state.contacts.clear();
  }

  private seed(seed: SeedList): void {
    const id = seed.id ?? randomUUID();
    const list = this.normaliseList(seed, id, 1);
    const state: ListState = { list, contacts: new Map(), importStatus: undefined };
    this.lists.set(id, state);
    const contacts = (seed.contacts ?? []).map((contact) => ({
      id: contact.id,
      data: contact.data,
      callable: undefined,
      phoneNumberStatus: undefined,
    }));
    if (contacts.length > 0) this.upsert(state, contacts, false);
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

function bad(message: string): SandboxHttpError {
  return new SandboxHttpError(400, 'bad.request', message);
}
