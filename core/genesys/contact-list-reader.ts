import type { BackoffOptions } from '../engine/throttle/backoff';
import { GenesysHttp } from './http/genesys-http';
import type { RequestGate } from './http/request-gate';
import type { TokenSource } from './token-source';

/** A contact list as Genesys returns it (only the fields Sluice reads are typed where read). */
export type ContactListJson = Record<string, unknown>;

/** Where and how to read one contact list. */
export interface ContactListReadOptions {
  apiUrl: string;
  tokenSource: TokenSource;
  contactListId: string;
  /** The org's limiter, so the read shares the org's pace (a run passes it). */
  gate?: RequestGate;
  /** Retryable failures are retried for this long, ms (default 2 min). */
  giveUpAfterMs?: number;
  backoff?: BackoffOptions;
  signal?: AbortSignal;
  /** Ask for the list's `size` too (a run's capacity check needs it). Default false. */
  includeSize?: boolean;
}

/**
 * `GET /api/v2/outbound/contactlists/{id}` through `http`: the list's JSON exactly as Genesys
 * returns it, with its `size` when `includeSize`. The one reader of a list for the screens,
 * the CLI and both run strategies. Throws `GenesysCallError` with advice (404: not in this
 * org; 403: the permission to grant; a retry budget spent).
 */
export async function fetchContactList(
  http: GenesysHttp,
  contactListId: string,
  includeSize = false,
): Promise<ContactListJson> {
  const path = `/api/v2/outbound/contactlists/${encodeURIComponent(contactListId)}${includeSize ? '?includeSize=true' : ''}`;
  const json = await http.json('list', 'GET', path);
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as ContactListJson) : {};
}

/** Reads one list with a call of its own (see `fetchContactList`). */
export function readContactListJson(options: ContactListReadOptions): Promise<ContactListJson> {
  const http = new GenesysHttp({
    apiUrl: options.apiUrl,
    tokenSource: options.tokenSource,
    contactListId: options.contactListId,
    giveUpAfterMs: options.giveUpAfterMs ?? 120_000,
    ...(options.gate ? { gate: options.gate } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return fetchContactList(http, options.contactListId, options.includeSize === true);
}

/** A token source for a token the caller already holds (a 401 cannot be refreshed). */
export function fixedTokenSource(accessToken: string): TokenSource {
  return { getAccessToken: async () => accessToken, invalidate: () => undefined };
}
