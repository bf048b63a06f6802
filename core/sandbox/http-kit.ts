import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/**
 * An error a route handler throws to answer with a Genesys-shaped body
 * `{message, code, status, contextId, details, errors}` (docs/GENESYS.md#error-body-shape).
 */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SandboxHttpError';
  }
}

/** What a route handler sees. `body` is parsed lazily by {@link readJson}. */
export interface RouteContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  correlationId: string;
  /** Base URL of this server, for `selfUri`s and presigned URLs. */
  baseUrl: string;
}

/** What a route handler returns; the server adds the common headers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** For the request log: contacts the request carried. */
  contactCount?: number;
}

/** The Genesys error body for a status/code/message. */
export function errorBody(status: number, code: string, message: string, contextId: string) {
  return { message, code, status, contextId, details: [], errors: [] };
}

/**
 * Parses a JSON request body. Rejects a non-JSON content type with 415 and malformed JSON with
 * 400, as the real gateway does, so a client bug shows as a clear error instead of a crash.
 */
export function readJson(context: RouteContext): unknown {
  const contentType = String(context.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(contentType)) {
    throw new SandboxHttpError(
      415,
      'unsupported.media.type',
      `Content type '${contentType || '(none)'}' is not supported; send application/json.`,
    );
  }
  try {
    return JSON.parse(context.rawBody.toString('utf8'));
  } catch {
    throw new SandboxHttpError(
      400,
      'bad.request',
      'The request could not be understood by the server due to malformed syntax (invalid JSON).',
    );
  }
}

/** Writes a JSON answer (or an empty one for 204/undefined body). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  if (body === undefined || status === 204) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/** Reads a query flag such as `includeSize=true`. */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

/** A 404 for an unknown entity, with the Genesys `not.found` code. */
export function notFound(what: string, id: string): SandboxHttpError {
  return new SandboxHttpError(404, 'not.found', `The requested ${what} '${id}' was not found.`);
}
