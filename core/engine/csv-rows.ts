import { createRowMapper, openCsv, type ContactListSchema, type Mapping } from '../csv';
import type { SourceRow } from './types';

/** What the engine needs to read a CSV file as mapped rows. */
export interface CsvRowsPlan {
  csvPath: string;
  mapping: Mapping;
  schema: ContactListSchema;
  /** Overrides the mapping's default phone country (ISO alpha-2). */
  defaultCountry?: string;
}

/**
 * Turns a CSV file into the engine's row stream: every call opens the file again (a resume
 * re-reads it from the top) with a fresh row mapper, so contact ids and duplicate decisions
 * are the same on every pass. Rows the mapper refuses arrive as rejected with its messages,
 * so they count in the run's accounting. `rowNumber` is the file's record number (header = 1).
 */
export function csvSourceRows(plan: CsvRowsPlan): () => AsyncIterable<SourceRow> {
  return async function* () {
    const source = await openCsv(plan.csvPath);
    const mapRow = createRowMapper(plan.mapping, plan.schema, {
      headers: source.headers,
      ...(plan.defaultCountry ? { defaultCountry: plan.defaultCountry } : {}),
    });
    for await (const row of source) {
      const result = mapRow(row);
      if (result.ok) {
        yield { rowNumber: result.rowNumber, ok: true, contact: result.contact };
        continue;
      }
      const reason = result.problems.map((problem) => problem.message).join('; ');
      yield {
        rowNumber: result.rowNumber,
        ok: false,
        reason: reason || 'The row could not be mapped',
        data: { ...row.fields },
        ...(result.contact ? { contactId: result.contact.id } : {}),
      };
    }
  };
}

/**
 * Reads a contact list's definition (`GET /api/v2/outbound/contactlists/{id}`) as raw JSON for
 * `readContactListSchema`. Throws a consultant-readable error on 401/403/404 and network errors.
 */
export async function fetchContactListJson(options: {
  apiUrl: string;
  accessToken: string;
  contactListId: string;
  timeoutMs?: number;
}): Promise<unknown> {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/api/v2/outbound/contactlists/${encodeURIComponent(options.contactListId)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 16_000),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot reach ${options.apiUrl} to read contact list ${options.contactListId}: ${message}`,
    );
  }
  const correlation = response.headers.get('inin-correlation-id');
  const suffix = correlation ? ` (correlation id ${correlation})` : '';
  if (response.status === 404) {
    throw new Error(
      `Contact list ${options.contactListId} was not found in this org${suffix}. Check the list id.`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `Genesys refused to show contact list ${options.contactListId} (${response.status})${suffix}. The OAuth client needs outbound:contactList:view.`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `Reading contact list ${options.contactListId} failed with HTTP ${response.status}${suffix}.`,
    );
  }
  return response.json();
}
