import { fetchAnswer } from '../../genesys/http/genesys-http';
import type { HttpAnswer } from '../../genesys/http/response-policy';

/** What one batch POST produced (the HTTP layer's answer type). */
export type TransportResult = HttpAnswer;

/**
 * How a batch reaches Genesys. Kept tiny so tests and the benchmark can swap the real HTTP
 * path (thin fetch, or the official SDK) without touching the engine. Must never throw for
 * HTTP or network failures: it returns them.
 */
export interface ContactsTransport {
  postContacts(request: {
    contactListId: string;
    bodyJson: string;
    accessToken: string;
    signal?: AbortSignal;
  }): Promise<TransportResult>;
}

/**
 * What a contact POST does to contacts that already exist, as its query flags say
 * (docs/GENESYS.md#contact-do-not-queue, #contact-priority, #contact-clear-system-data).
 */
export interface ContactWriteOptions {
  /**
   * Send `doNotQueue=false`: an updated contact is queued again and a dialer may call it again.
   * Off by default, so a retry, a resume or a second load never re-dials a contact already called.
   */
  requeueUpdated: boolean;
  /** `priority=true`: new and re-queued contacts go to the front of the dialing queue. */
  priority: boolean;
  /** `clearSystemData=true`: an updated contact's attempts and call records are cleared. */
  clearSystemData: boolean;
}

/** Genesys's default is `doNotQueue=false`; Sluice's is the opposite, on every POST. */
export const defaultContactWriteOptions: ContactWriteOptions = {
  requeueUpdated: false,
  priority: false,
  clearSystemData: false,
};

/** The query string of every contact POST: all three flags, always explicit. */
export function contactWriteQuery(options: ContactWriteOptions): string {
  return new URLSearchParams({
    doNotQueue: String(!options.requeueUpdated),
    priority: String(options.priority),
    clearSystemData: String(options.clearSystemData),
  }).toString();
}

/** Options of the fetch transport. */
export interface FetchTransportOptions {
  /** API base, e.g. `https://api.mypurecloud.ie` or the sandbox's `http://127.0.0.1:PORT`. */
  apiUrl: string;
  /** Per-request timeout (the SDK's default is 16 s), milliseconds. */
  timeoutMs?: number;
  /** Queue flags of every POST (default `defaultContactWriteOptions`: doNotQueue=true). */
  writeOptions?: ContactWriteOptions;
}

/**
 * POST /api/v2/outbound/contactlists/{id}/contacts with Node's fetch. Chosen over the SDK for
 * batches because the SDK's logger deep-clones every body twice; it shares the same bearer
 * token, so nothing else changes.
 */
export function createFetchTransport(options: FetchTransportOptions): ContactsTransport {
  const base = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 16_000;
  const query = contactWriteQuery(options.writeOptions ?? defaultContactWriteOptions);
  return {
    postContacts({ contactListId, bodyJson, accessToken, signal }) {
      const url = `${base}/api/v2/outbound/contactlists/${encodeURIComponent(contactListId)}/contacts?${query}`;
      return fetchAnswer(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: bodyJson,
        timeoutMs,
        ...(signal ? { signal } : {}),
      });
    },
  };
}
