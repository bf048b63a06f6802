import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { RUN_FILES } from '../../core/engine/run/run-files';
import type { SourceRow } from '../../core/engine/types';
import type { DeepPartial, Sandbox, SandboxConfig, ScriptedAnswer } from '../../core/sandbox';

/** The columns of every list these helpers create (a subset of the demo lists' columns). */
export const TEST_COLUMNS = ['FirstName', 'LastName', 'HomePhone', 'AccountId', 'Region'];

/** Creates an empty contact list in a Sandbox org (in-process, outside its rate limits). */
export function newList(sandbox: Sandbox, name: string, orgIndex = 0): string {
  const org = sandbox.inspect.orgs()[orgIndex];
  if (!org) throw new Error(`The sandbox has no org #${orgIndex}.`);
  return sandbox.inspect.createContactList(org.id, {
    name,
    columnNames: TEST_COLUMNS,
    phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
  }).id;
}

/**
 * Sandbox overrides with one client rate limit: `requests` per fixed window of `windowMs`, reported
 * in the `inin-ratelimit-*` headers. Tests use it to make an upload last long enough to act mid-run.
 */
export function clientRateLimit(requests: number, windowMs = 1000): DeepPartial<SandboxConfig> {
  return {
    limits: [
      { name: 'client.rate', scope: 'client', requests, windowMs, window: 'fixed', reported: true },
    ],
  };
}

/**
 * Genesys's answer to a contact POST from a client whose role lacks `outbound:contact:add`
 * (docs/GENESYS.md), for `inspect.scriptAnswers`: the next `count` contact POSTs get it.
 */
export function missingContactAddPermission(count = 1): ScriptedAnswer {
  return {
    route: 'POST /api/v2/outbound/contactlists/{id}/contacts',
    status: 403,
    code: 'missing.any.permissions',
    message:
      'Unable to perform the requested action. You are missing the following permission(s): [outbound:contact:add]',
    count,
  };
}

/** The contact id of row `n` for an id prefix (each test uses its own prefix). */
export const contactId = (prefix: string, n: number): string => `${prefix}-${n}`;

/** The data row `n` of a source carries: what the Sandbox must hold for that id. */
export function rowData(prefix: string, n: number): Record<string, string> {
  return {
    FirstName: `First${n}`,
    LastName: `${prefix} ${n}`,
    HomePhone: `+1317555${String(n % 10_000).padStart(4, '0')}`,
    AccountId: contactId(prefix, n),
    Region: 'Midwest',
  };
}

/** `count` valid rows with deterministic ids, readable again from the top (resume). */
export function validRows(prefix: string, count: number): () => AsyncIterable<SourceRow> {
  return async function* () {
    for (let n = 1; n <= count; n += 1) {
      yield {
        rowNumber: n,
        ok: true,
        contact: { id: contactId(prefix, n), data: rowData(prefix, n) },
      };
    }
  };
}

/** Every expected id of a source, sorted. */
export function expectedIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => contactId(prefix, index + 1)).sort();
}

/** The ids the Sandbox holds in a list, sorted. */
export function storedIds(sandbox: Sandbox, listId: string): string[] {
  return sandbox.inspect
    .contacts(listId)
    .map((contact) => contact.id)
    .sort();
}

/** The contact ids a run recorded as failed (its failed-rows.csv), sorted. */
export function failedIds(runDir: string): string[] {
  const text = readFileSync(join(runDir, RUN_FILES.failedRows), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return parsed.data.map((row) => row.contactId ?? '').sort();
}

/** How many requests the Sandbox logged for a method and path pattern, by status. */
export function requestsBy(
  sandbox: Sandbox,
  method: string,
  path: RegExp,
  filter: { status?: number; clientId?: string } = {},
): number {
  return sandbox.inspect
    .requests()
    .filter(
      (entry) =>
        entry.method === method &&
        path.test(entry.path) &&
        (filter.status === undefined || entry.status === filter.status) &&
        (filter.clientId === undefined || entry.clientId === filter.clientId),
    ).length;
}

/** The contact POST path, as the Sandbox logs it. */
export const CONTACTS_POST = /^\/api\/v2\/outbound\/contactlists\/[^/]+\/contacts$/;
