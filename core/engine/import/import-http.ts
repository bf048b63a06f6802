import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FailureDetail } from '../../contract/runs';
import type { TokenSource } from '../../genesys/token-source';
import {
  defaultBackoff,
  fullJitterDelayMs,
  type BackoffOptions,
  type RandomSource,
} from '../throttle/backoff';
import type { Clock } from '../throttle/clock';
import { parseErrorBody } from '../contacts/error-policy';
import { LatencyWindow } from '../throttle/latency-window';
import { parseRetryAfterMs, type HeaderMap } from '../../genesys/http/rate-limit-headers';
import { zeroCounters, type RequestCounters } from '../run/run-counters';

/** Token-source failures that retrying cannot fix (the same set `UploadRun` stops on). */
const FATAL_AUTH_KINDS = new Set(['bad-credentials', 'denied', 'state-mismatch', 'cancelled']);

/** The calls of the import flow; each has its own advice for 403 and 404. */
export type ImportCall = 'list' | 'upload-url' | 'status' | 'put';

/**
 * An import call that cannot succeed by retrying: a configuration problem (403/404), a refused
 * file, a retry budget spent, or the run was cancelled. `detail.reason` is for the consultant.
 */
export class ImportApiError extends Error {
  constructor(
    readonly detail: FailureDetail,
    /** True when the run was cancelled while the call waited. */
    readonly cancelled = false,
  ) {
    super(detail.reason);
    this.name = 'ImportApiError';
  }
}

/** What the import's HTTP side needs. */
export interface ImportHttpOptions {
  apiUrl: string;
  contactListId: string;
  tokenSource: TokenSource;
  clock: Clock;
  /** Each call retries 429/5xx/network errors for this long before giving up, ms. */
  giveUpAfterMs: number;
  /** Cancels every wait and request of the run. */
  signal: AbortSignal;
  backoff?: BackoffOptions;
  random?: RandomSource;
  /** Per-request timeout, ms (default 16 s like the SDK; the file PUT gets 10 min). */
  timeoutMs?: number;
}

interface RawAnswer {
  status: number;
  headers: HeaderMap;
  bodyText: string;
}

/**
 * The HTTP calls of a bulk import with the engine's error policy (DESIGN §2, §6): 429, 5xx,
 * 408 and network errors are retried with full-jitter backoff (429 waits at least its
 * `Retry-After`) under a time budget, never a fixed attempt count; 401 refreshes the token once;
 * 403/404 and other 4xx end the call with an actionable `ImportApiError`. Counts every request.
 */
export class ImportHttp {
  readonly counters: RequestCounters = zeroCounters();
  readonly latency = new LatencyWindow();
  /** Clock time until which the current retry wait lasts (0 when not waiting). */
  backoffUntilMs = 0;
  inFlight = 0;
  private readonly base: string;

  constructor(private readonly options: ImportHttpOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '');
  }

  /** A JSON API call; resolves the parsed body, or undefined for a 404 when `allow404`. */
  async json(
    call: ImportCall,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    allow404 = false,
  ): Promise<unknown> {
    const url = `${this.base}${path}`;
    const answer = await this.withRetries(
      call,
      async () => {
        const token = await this.token();
        const response = await this.timed(() =>
          fetch(url, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            signal: AbortSignal.any([
              this.options.signal,
              AbortSignal.timeout(this.options.timeoutMs ?? 16_000),
            ]),
          }).then(async (r) => {
            const headers: HeaderMap = {};
            r.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
            return { status: r.status, headers, bodyText: await r.text(), token };
          }),
        );
        return response;
      },
      allow404,
    );
    if (answer.status === 404) return undefined;
    if (answer.bodyText === '') return {};
    try {
      return JSON.parse(answer.bodyText) as unknown;
    } catch {
      throw new ImportApiError({
        status: answer.status,
        reason: `${method} ${path} answered with a body that is not JSON`,
      });
    }
  }

  /** PUTs the file to the presigned URL with the headers Genesys gave, streaming it with its length. */
  async putFile(url: string, headers: Record<string, string>, filePath: string): Promise<void> {
    const size = statSync(filePath).size;
    await this.withRetries('put', () =>
      this.timed(() => putStream(url, headers, filePath, size, this.options.signal)).then(
        (answer) => ({ ...answer, token: undefined }),
      ),
    );
  }

  /** The advice for a 403/404 of each call. */
  private fatalDetail(call: ImportCall, detail: FailureDetail): FailureDetail {
    const list = this.options.contactListId;
    const server = detail.reason;
    if (detail.status === 404) {
      return {
        ...detail,
        reason: `Contact list ${list} was not found (404: ${server}). Check the list id and that it belongs to this org.`,
      };
    }
    if (detail.status === 403 && call === 'put') {
      return {
        ...detail,
        reason: `The upload URL refused the file (403: ${server}); it may have expired. Run the import again for a new URL.`,
      };
    }
    if (detail.status === 403) {
      const permission =
        call === 'upload-url'
          ? 'outbound:contactList:upload and outbound:contactList:edit'
          : 'outbound:contactList:view';
      return {
        ...detail,
        reason: `Genesys refused access (403: ${server}). The OAuth client needs the permission ${permission}, and access to the list's division.`,
      };
    }
    return detail;
  }

  /** A token; a sign-in refusal ends the call, anything else (network) is retried like a request. */
  private async token(): Promise<string> {
    try {
      return await this.options.tokenSource.getAccessToken();
    } catch (error) {
      const kind = (error as { kind?: string }).kind;
      if (kind === undefined || !FATAL_AUTH_KINDS.has(kind)) throw error;
      throw new ImportApiError({
        status: 401,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async timed<T>(send: () => Promise<T>): Promise<T> {
    const started = this.options.clock.nowMs();
    this.inFlight += 1;
    this.counters.requests += 1;
    try {
      return await send();
    } finally {
      this.inFlight -= 1;
      this.latency.add(this.options.clock.nowMs() - started);
    }
  }

  private async withRetries(
    call: ImportCall,
    attempt: () => Promise<RawAnswer & { token: string | undefined }>,
    allow404 = false,
  ): Promise<RawAnswer> {
    const { clock, signal } = this.options;
    const firstMs = clock.nowMs();
    let retry = 0;
    let reauthorized = false;
    let last: FailureDetail = { status: 0, reason: 'no answer' };
    for (;;) {
      if (signal.aborted) throw new ImportApiError({ status: 0, reason: 'cancelled' }, true);
      let answer: (RawAnswer & { token: string | undefined }) | undefined;
      try {
        answer = await attempt();
      } catch (error) {
        if (error instanceof ImportApiError) throw error;
        if (signal.aborted) throw new ImportApiError({ status: 0, reason: 'cancelled' }, true);
        this.counters.networkErrors += 1;
        last = { status: 0, reason: `Network error: ${describe(error)}` };
      }
      let retryAfterMs: number | undefined;
      if (answer !== undefined) {
        const { status, headers } = answer;
        if ((status >= 200 && status < 300) || (status === 404 && allow404)) {
          this.counters.ok += 1;
          return answer;
        }
        const parsed = parseErrorBody(answer.bodyText);
        last = {
          status,
          reason: parsed.message ?? `HTTP ${status}`,
          ...(parsed.code ? { code: parsed.code } : {}),
          ...(headers['inin-correlation-id']
            ? { correlationId: headers['inin-correlation-id'] }
            : {}),
        };
        if (status === 401 && answer.token !== undefined && !reauthorized) {
          this.options.tokenSource.invalidate(answer.token);
          reauthorized = true;
          this.counters.retries += 1;
          continue;
        }
        if (status === 401) {
          throw new ImportApiError({
            ...last,
            reason: `Genesys refused a freshly issued token (401: ${last.reason}). Check the OAuth client's roles and that it is active.`,
          });
        }
        if (status === 429) {
          this.counters.throttled += 1;
          retryAfterMs = parseRetryAfterMs(headers['retry-after']);
        } else if (status >= 500 || status === 408) {
          this.counters.serverErrors += 1;
        } else {
          throw new ImportApiError(this.fatalDetail(call, last));
        }
      }
      if (clock.nowMs() - firstMs > this.options.giveUpAfterMs) {
        throw new ImportApiError({
          ...last,
          reason: `Gave up after retrying for ${Math.round(this.options.giveUpAfterMs / 1000)} s; last error: ${last.reason}`,
        });
      }
      const waitMs = Math.max(
        retryAfterMs ?? 0,
        fullJitterDelayMs(retry, this.options.backoff ?? defaultBackoff, this.options.random),
      );
      retry += 1;
      this.counters.retries += 1;
      this.backoffUntilMs = clock.nowMs() + waitMs;
      await clock.sleep(waitMs, signal);
      this.backoffUntilMs = 0;
    }
  }
}

/** One PUT of the file with a known Content-Length (presigned storage URLs refuse chunked bodies). */
function putStream(
  url: string,
  headers: Record<string, string>,
  filePath: string,
  size: number,
  signal: AbortSignal,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'PUT',
        headers: { ...headers, 'content-length': String(size) },
        signal,
        timeout: 10 * 60_000,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const responseHeaders: HeaderMap = {};
          for (const [name, value] of Object.entries(response.headers))
            responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          resolve({
            status: response.statusCode ?? 0,
            headers: responseHeaders,
            bodyText: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 10 min')));
    request.on('error', reject);
    const file = createReadStream(filePath);
    file.on('error', (error) => request.destroy(error));
    file.pipe(request);
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
