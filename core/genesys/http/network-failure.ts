import { describeError } from './advice';

/**
 * How a request that got no HTTP answer failed, as far as Genesys's rate limits are concerned
 * (docs/ARCHITECTURE.md, "The throttle"):
 * - `never-connected`: refused, no such host, unreachable, connect timeout: it never left.
 * - `timed-out`: no answer within the client's timeout: it may never have arrived.
 * - `cut-off`: the connection was reset or its answer dropped (or the caller aborted it) after
 *   the request went out: it may have reached Genesys, and spent the limits' budget.
 */
export type NetworkFailure = 'never-connected' | 'timed-out' | 'cut-off';

/** A network failure as read from the error a transport gave. */
export interface NetworkFailureReading {
  failure: NetworkFailure;
  /**
   * The structured field it was read from: the error's `code` (its own or its cause's, such as
   * ECONNREFUSED or UND_ERR_SOCKET), or its `name` where it has no string code (TimeoutError).
   * Absent when the error had neither and only its text could be read.
   */
  errorCode?: string;
}

/** Node's socket and DNS codes, and undici's connect timeout: no connection was ever made. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Timeouts after the connection opened: Node's, and undici's waits for headers and body. */
const TIMED_OUT = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Text fallbacks, for errors with no code or name to read (see `networkFailureOf`). */
const NEVER_CONNECTED_TEXT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH/;
const TIMED_OUT_TEXT = /no answer within|timeout of \d+ ?ms exceeded|ETIMEDOUT/i;

/**
 * Reads how a request failed from the error its transport rejected with, by the fields the
 * transports set, never by their wording:
 * - fetch (undici) rejects with `TypeError('fetch failed')` whose `cause` has the code
 *   (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, UND_ERR_CONNECT_TIMEOUT; an AggregateError's
 *   `errors` when several addresses were tried); its timeout signal rejects with a DOMException
 *   named TimeoutError, and a caller's abort with one named AbortError.
 * - The official SDK rejects with axios's AxiosError (`isAxiosError`), whose `code` is Node's
 *   (ECONNREFUSED, ECONNRESET) or axios's own: ECONNABORTED for its timeout (ETIMEDOUT with
 *   `transitional.clarifyTimeoutError`), ERR_CANCELED for an abort.
 * Falls back to the message only for an error that carries no code or name at all (a string
 * thrown, an Error made by hand): there is nothing structured to read then.
 */
export function networkFailureOf(error: unknown): NetworkFailureReading {
  for (const link of causeChain(error)) {
    const name = typeof link.name === 'string' ? link.name : undefined;
    if (name === 'TimeoutError') return { failure: 'timed-out', errorCode: name };
    if (name === 'AbortError') return { failure: 'cut-off', errorCode: name };
    const code = typeof link.code === 'string' ? link.code : undefined;
    if (!code) continue;
    if (NEVER_CONNECTED.has(code)) return { failure: 'never-connected', errorCode: code };
    if (TIMED_OUT.has(code)) return { failure: 'timed-out', errorCode: code };
    // axios's own timeout error has no cause; a socket's ECONNABORTED wrapped by axios has one.
    if (code === 'ECONNABORTED' && link.isAxiosError === true && link.cause === undefined)
      return { failure: 'timed-out', errorCode: code };
    // A code of the connection once open (ECONNRESET, UND_ERR_SOCKET, EPIPE...): cut off. Any
    // code a cause further down might refine is read first from the top, so stop here.
    return { failure: 'cut-off', errorCode: code };
  }
  return { failure: failureFromText(describeError(error)) };
}

/**
 * The failure an answer's message alone tells: for network answers made without an error to
 * read (a test's or the benchmark's stand-in transport).
 */
export function failureFromText(message: string): NetworkFailure {
  if (NEVER_CONNECTED_TEXT.test(message)) return 'never-connected';
  if (TIMED_OUT_TEXT.test(message)) return 'timed-out';
  return 'cut-off';
}

type ErrorFields = {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
  isAxiosError?: unknown;
};

/**
 * The error, then its causes, outermost first (a few levels: the transports nest at most two),
 * stepping into an AggregateError's first error. Only objects: a string has no fields to read.
 */
function causeChain(error: unknown): ErrorFields[] {
  const chain: ErrorFields[] = [];
  let link: unknown = error;
  while (chain.length < 5 && typeof link === 'object' && link !== null) {
    const fields = link as ErrorFields;
    chain.push(fields);
    const nested = Array.isArray(fields.errors) ? (fields.errors as unknown[])[0] : undefined;
    link = fields.cause ?? nested;
  }
  return chain;
}
