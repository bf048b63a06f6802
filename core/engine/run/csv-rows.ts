import { createRowMapper, openCsv, type ContactListSchema, type Mapping } from '../../csv';
import type { SourceRow } from '../types';
import { throttleWaitMs, type BackoffOptions } from '../throttle/backoff';
import { parseRetryAfterMs } from '../../genesys/http/rate-limit-headers';

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

/** Statuses worth asking again for (DESIGN §2): throttled or a passing server problem. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/**
 * Reads a contact list's definition (`GET /api/v2/outbound/contactlists/{id}`) as raw JSON for
 * `readContactListSchema`. Throttling (429, with Retry-After as a floor), 502/503/504 and
 * network errors are retried with full-jitter backoff until `giveUpAfterMs` (default 2 min);
 * 401/403/404 and other errors throw at once with a consultant-readable message.
 */
export async function fetchContactListJson(options: {
  apiUrl: string;
  accessToken: string;
  contactListId: string;
  timeoutMs?: number;
  giveUpAfterMs?: number;
  backoff?: BackoffOptions;
}): Promise<unknown> {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/api/v2/outbound/contactlists/${encodeURIComponent(options.contactListId)}`;
  const deadline = Date.now() + (options.giveUpAfterMs ?? 120_000);
  for (let attempt = 0; ; attempt += 1) {
    let response: Response | undefined;
    let networkError: string | undefined;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 16_000),
      });
    } catch (error) {
      networkError = error instanceof Error ? error.message : String(error);
    }
    const retryable = response === undefined || RETRYABLE_STATUSES.has(response.status);
    const waitMs = throttleWaitMs(
      parseRetryAfterMs(response?.headers.get('retry-after') ?? undefined),
      attempt,
      options.backoff,
    );
    if (retryable && Date.now() + waitMs < deadline) {
      await response?.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      continue;
    }
    if (response === undefined) {
      throw new Error(
        `Cannot reach ${options.apiUrl} to read contact list ${options.contactListId}: ${networkError}`,
      );
    }
    return readListResponse(response, options.contactListId);
  }
}

/** The list's JSON, or an error that says what to check. */
async function readListResponse(response: Response, contactListId: string): Promise<unknown> {
  const correlation = response.headers.get('inin-correlation-id');
  const suffix = correlation ? ` (correlation id ${correlation})` : '';
  if (response.status === 404) {
    throw new Error(
      `Contact list ${contactListId} was not found in this org${suffix}. Check the list id.`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `Genesys refused to show contact list ${contactListId} (${response.status})${suffix}. The OAuth client needs outbound:contactList:view.`,
    );
  }
  if (response.status === 429) {
    throw new Error(
      `Genesys kept throttling the read of contact list ${contactListId} (429)${suffix}. Try again in a few minutes.`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `Reading contact list ${contactListId} failed with HTTP ${response.status}${suffix}.`,
    );
  }
  return response.json();
}
