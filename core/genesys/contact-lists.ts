import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  ContactListSummary,
  CreateListRequest,
  ImportStatusSummary,
  ListPage,
} from '../contract/lists';
import type { OrgApi } from './org-api';
import { writeFileAtomically } from '../store/atomic-file';

import type { ContactListJson } from './contact-list-reader';

/** Search options (docs/GENESYS.md#endpoints: pageSize ≤ 100, name filter, sort by name). */
export interface ListSearchOptions {
  name?: string | undefined;
  pageNumber: number;
  pageSize: number;
  sortOrder: 'ascending' | 'descending';
}

/**
 * One page of contact lists whose name contains `name`, with size and import status
 * (`includeSize`, `includeImportStatus`). Rejects with the SDK's typed error (explain it with
 * `describeApiFailure`).
 */
export async function searchContactLists(
  api: OrgApi,
  options: ListSearchOptions,
): Promise<ListPage> {
  const answer = await api.call<{
    entities?: ContactListJson[];
    pageNumber?: number;
    pageSize?: number;
    total?: number;
    pageCount?: number;
  }>((c) =>
    c.outbound.getOutboundContactlists({
      pageSize: options.pageSize,
      pageNumber: options.pageNumber,
      sortBy: 'name',
      sortOrder: options.sortOrder,
      includeSize: true,
      includeImportStatus: true,
      ...(options.name ? { name: options.name } : {}),
    }),
  );
  const entities = (answer.body.entities ?? []).map(summariseContactList);
  const total = answer.body.total ?? entities.length;
  return {
    entities,
    pageNumber: answer.body.pageNumber ?? options.pageNumber,
    pageSize: answer.body.pageSize ?? options.pageSize,
    total,
    pageCount: answer.body.pageCount ?? Math.max(1, Math.ceil(total / options.pageSize)),
  };
}

/**
 * Writes a list's JSON to `filePath` (2-space indented, UTF-8), atomically (temp file, then
 * rename) so a crash never leaves half a schema. Creates the parent folder. Returns the byte size.
 */
export async function writeContactListSchema(
  json: ContactListJson,
  filePath: string,
): Promise<number> {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  await fs.mkdir(path.dirname(filePath), { recursive: true });
  await writeFileAtomically(filePath, text);
  return Buffer.byteLength(text, 'utf8');
}

/** Creates a contact list (`POST /contactlists`) from a mapping's columns; returns its summary. */
export async function createContactList(
  api: OrgApi,
  request: Omit<CreateListRequest, 'orgId'>,
): Promise<ContactListSummary> {
  const body = Object.fromEntries(
    Object.entries(request).filter(([, value]) => value !== undefined),
  ) as unknown as Parameters<OrgApi['clients']['outbound']['postOutboundContactlists']>[0];
  const answer = await api.call<ContactListJson>((c) => c.outbound.postOutboundContactlists(body));
  return summariseContactList(answer.body);
}

/** Reduces a Genesys `ContactList` to what the list browser shows. */
export function summariseContactList(json: ContactListJson): ContactListSummary {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined;
  const number = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  const records = (value: unknown): Record<string, unknown>[] =>
    Array.isArray(value) ? value.filter((entry) => entry && typeof entry === 'object') : [];
  const importStatus = readImportStatus(json.importStatus);
  const division = json.division as { name?: unknown } | undefined;
  const summary: ContactListSummary = {
    id: text(json.id) ?? '',
    name: text(json.name) ?? '(unnamed list)',
    columnNames: Array.isArray(json.columnNames)
      ? json.columnNames.filter((n) => typeof n === 'string')
      : [],
    phoneColumns: records(json.phoneColumns).map((column) => ({
      columnName: text(column.columnName) ?? '',
      type: text(column.type) ?? '',
      ...(text(column.callableTimeColumn)
        ? { callableTimeColumn: text(column.callableTimeColumn) }
        : {}),
    })),
    emailColumns: records(json.emailColumns).map((column) => ({
      columnName: text(column.columnName) ?? '',
      type: text(column.type) ?? '',
    })),
  };
  const size = number(json.size);
  if (size !== undefined) summary.size = size;
  if (importStatus) summary.importStatus = importStatus;
  const version = number(json.version);
  if (version !== undefined) summary.version = version;
  const dateCreated = text(json.dateCreated);
  if (dateCreated) summary.dateCreated = dateCreated;
  const dateModified = text(json.dateModified);
  if (dateModified) summary.dateModified = dateModified;
  const divisionName = text(division?.name);
  if (divisionName) summary.divisionName = divisionName;
  return summary;
}

function readImportStatus(value: unknown): ImportStatusSummary | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const status = value as Record<string, unknown>;
  if (typeof status.state !== 'string') return undefined;
  const result: ImportStatusSummary = { state: status.state };
  for (const key of ['totalRecords', 'completedRecords', 'percentComplete'] as const) {
    if (typeof status[key] === 'number') result[key] = status[key];
  }
  if (typeof status.failureReason === 'string') result.failureReason = status.failureReason;
  return result;
}
