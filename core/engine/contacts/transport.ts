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

/** Options of the fetch transport. */
export interface FetchTransportOptions {
  /** API base, e.g. `https://api.mypurecloud.ie` or the sandbox's `http://127.0.0.1:PORT`. */
  apiUrl: string;
  /** Per-request timeout (the SDK's default is 16 s), milliseconds. */
  timeoutMs?: number;
}

/**
 * POST /api/v2/outbound/contactlists/{id}/contacts with Node's fetch. Chosen over the SDK for
 * batches because the SDK's logger deep-clones every body twice (docs/GENESYS.md, The SDK); it shares the
 * same bearer token, so nothing else changes.
 */
export function createFetchTransport(options: FetchTransportOptions): ContactsTransport {
  const base = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 16_000;
  return {
    postContacts({ contactListId, bodyJson, accessToken, signal }) {
      const url = `${base}/api/v2/outbound/contactlists/${encodeURIComponent(contactListId)}/contacts`;
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
