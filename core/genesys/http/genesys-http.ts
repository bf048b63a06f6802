// The one way Sluice calls Genesys outside the batch transport (lists, limits, the import
// calls): one fetch with the org's limiter as a gate, token refresh once on 401, and retries
// under a time budget per the response policy. Over 300 lines on purpose: the retry loop, the
// token refresh and the gate share state per call (docs/ARCHITECTURE.md).
import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FailureDetail } from '../../contract/runs';
import {
  defaultBackoff,
  fullJitterDelayMs,
  type BackoffOptions,
} from '../../engine/throttle/backoff';
import { systemClock, type Clock } from '../../engine/throttle/clock';
import type { TokenSource } from '../token-source';
import { describeError, isFatalTokenError, refreshedTokenAdvice, type GenesysCall } from './advice';
import { headerMap, type HeaderMap } from './rate-limit-headers';
import { callFeedback } from './gate-feedback';
import { networkFailureOf } from './network-failure';
import { classifyAnswer, type HttpAnswer } from './response-policy';
import type { RequestGate } from './request-gate';

/** Request-level counters (rows are counted by the run's accounting, not here). */
export interface HttpCounters {
  requests: number;
  ok: number;
  throttled: number;
  serverErrors: number;
  networkErrors: number;
  retries: number;
}

/** Fresh zeroed counters. */
export function zeroCounters(): HttpCounters {
  return { requests: 0, ok: 0, throttled: 0, serverErrors: 0, networkErrors: 0, retries: 0 };
}

/** Why a call ended without an answer the caller can use. */
export type GenesysCallErrorCode =
  /** The run was cancelled while the call waited. */
  | 'cancelled'
  /** Retryable failures lasted past the time budget. */
  | 'gave-up'
  /** Genesys refused the request (403/404, a full list, a second 401, a request problem). */
  | 'refused'
  /** The answer was not the JSON the call expects. */
  | 'bad-answer';

/** A Genesys call that cannot succeed by retrying; `detail.reason` is for the consultant. */
export class GenesysCallError extends Error {
  constructor(
    readonly code: GenesysCallErrorCode,
    readonly detail: FailureDetail,
  ) {
    super(detail.reason);
    this.name = 'GenesysCallError';
  }

  /** True when the run was cancelled while the call waited. */
  get cancelled(): boolean {
    return this.code === 'cancelled';
  }
}

/** What every Genesys call outside the contacts batches needs. */
export interface GenesysHttpOptions {
  /** API base, e.g. `https://api.mypurecloud.ie` or the Sandbox's `http://127.0.0.1:PORT`. */
  apiUrl: string;
  tokenSource: TokenSource;
  /** The list the calls are about, for the advice of a 403/404. */
  contactListId?: string;
  /** Retryable failures are retried for this long before the call gives up, ms. */
  giveUpAfterMs: number;
  /** The org's limiter: every request takes a permit and reports what it learned. */
  gate?: RequestGate;
  /** Cancels every wait and request. */
  signal?: AbortSignal;
  clock?: Clock;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Per-request timeout, ms (default 16 s like the SDK; the file PUT gets 10 min). */
  timeoutMs?: number;
  /** Called with the latency of every answered or failed request, ms. */
  onLatency?: (latencyMs: number) => void;
}

/**
 * The one way Sluice calls Genesys outside the contact batches (reading a list, the import
 * calls, the limits read), with the one response policy (`classifyAnswer`): 429, 5xx and
 * network errors are retried with full-jitter backoff (a 429 waits at least what it asks)
 * under a time budget, never a fixed attempt count; 401 refreshes the token once; everything
 * else ends the call with a `GenesysCallError` carrying the advice. With a `gate` (the org's
 * limiter) a 429 here slows the org's other traffic too, and the limiter does the waiting.
 */
export class GenesysHttp {
  readonly counters: HttpCounters = zeroCounters();
  /** Clock time until which the current retry wait lasts (0 when not waiting). */
  backoffUntilMs = 0;
  inFlight = 0;
  private readonly base: string;
  private readonly clock: Clock;

  constructor(private readonly options: GenesysHttpOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
  }

  /** A JSON API call; resolves the parsed body, or undefined for a 404 when `allow404`. */
  async json(
    call: GenesysCall,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    allow404 = false,
  ): Promise<unknown> {
    const url = `${this.base}${path}`;
    const answer = await this.withRetries(
      call,
      async (token) =>
        fetchAnswer(url, {
          method,
          headers: {
            authorization: `Bearer ${token ?? ''}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          timeoutMs: this.options.timeoutMs ?? 16_000,
          ...(this.options.signal ? { signal: this.options.signal } : {}),
        }),
      { allow404, needsToken: true },
    );
    if (answer.status === 404) return undefined;
    if (answer.bodyText === '') return {};
    try {
      return JSON.parse(answer.bodyText) as unknown;
    } catch {
      throw new GenesysCallError('bad-answer', {
        status: answer.status,
        reason: `${method} ${path} answered with a body that is not JSON`,
      });
    }
  }

  /** PUTs a file to a presigned URL with the headers Genesys gave, streaming it with its length. */
  async putFile(url: string, headers: Record<string, string>, filePath: string): Promise<void> {
    const size = statSync(filePath).size;
    await this.withRetries(
      'put',
      () => putStream(url, headers, filePath, size, this.options.signal),
      {
        allow404: false,
        needsToken: false,
      },
    );
  }

  private cancelledError(): GenesysCallError {
    return new GenesysCallError('cancelled', { status: 0, reason: 'cancelled' });
  }

  /** A token; a sign-in refusal ends the call, anything else (network) is retried like a request. */
  private async token(): Promise<string> {
    try {
      return await this.options.tokenSource.getAccessToken();
    } catch (error) {
      if (!isFatalTokenError(error)) throw error;
      throw new GenesysCallError('refused', { status: 401, reason: describeError(error) });
    }
  }

  /** One request through the gate: takes a permit, sends, reports what the answer taught. */
  private async attempt(
    call: GenesysCall,
    send: (token: string | undefined) => Promise<HttpAnswer>,
    needsToken: boolean,
  ): Promise<{ answer: HttpAnswer; token: string | undefined } | undefined> {
    const { gate, signal } = this.options;
    const permit = gate ? await gate.acquire(signal) : undefined;
    if (gate && !permit) return undefined;
    let token: string | undefined;
    try {
      token = needsToken ? await this.token() : undefined;
    } catch (error) {
      if (permit) gate?.complete(permit, { signal: 'other', latencyMs: 0, sideCall: true });
      if (error instanceof GenesysCallError) throw error;
      // no token for a passing reason (network): retried like a request that got no answer
      const answer: HttpAnswer = {
        kind: 'network',
        message: describeError(error),
        latencyMs: 0,
        ...networkFailureOf(error),
      };
      return { answer, token };
    }
    let answer: HttpAnswer;
    this.inFlight += 1;
    this.counters.requests += 1;
    try {
      answer = await send(token);
    } finally {
      this.inFlight -= 1;
    }
    this.options.onLatency?.(answer.latencyMs);
    if (permit && gate) {
      gate.complete(permit, callFeedback(answer, call, this.options.contactListId));
    }
    return { answer, token };
  }

  private async withRetries(
    call: GenesysCall,
    send: (token: string | undefined) => Promise<HttpAnswer>,
    options: { allow404: boolean; needsToken: boolean },
  ): Promise<{ status: number; headers: HeaderMap; bodyText: string }> {
    const { signal, giveUpAfterMs, gate } = this.options;
    const firstMs = this.clock.nowMs();
    let retry = 0;
    let reauthorized = false;
    for (;;) {
      if (signal?.aborted) throw this.cancelledError();
      const sent = await this.attempt(call, send, options.needsToken);
      if (sent === undefined || signal?.aborted) throw this.cancelledError();
      const { answer, token } = sent;
      if (answer.kind === 'response' && answer.status === 404 && options.allow404) {
        this.counters.ok += 1;
        return answer;
      }
      const { verdict, detail, retryAfterMs } = classifyAnswer(
        answer,
        call,
        this.options.contactListId,
      );
      if (verdict === 'ok' && answer.kind === 'response') {
        this.counters.ok += 1;
        return answer;
      }
      if (verdict === 'unauthorized' && token !== undefined && !reauthorized) {
        this.options.tokenSource.invalidate(token);
        reauthorized = true;
        this.counters.retries += 1;
        continue;
      }
      if (verdict === 'unauthorized')
        throw new GenesysCallError('refused', refreshedTokenAdvice(detail));
      if (verdict === 'throttled') this.counters.throttled += 1;
      else if (verdict === 'retryable' && answer.kind === 'network')
        this.counters.networkErrors += 1;
      else if (verdict === 'retryable') this.counters.serverErrors += 1;
      else throw new GenesysCallError('refused', detail);
      if (this.clock.nowMs() - firstMs > giveUpAfterMs) {
        throw new GenesysCallError('gave-up', {
          ...detail,
          reason: `Gave up after retrying for ${Math.round(giveUpAfterMs / 1000)} s; last error: ${detail.reason}`,
        });
      }
      const jitterMs = fullJitterDelayMs(
        retry,
        this.options.backoff ?? defaultBackoff,
        this.options.random,
      );
      // Through the gate, the limiter already holds the org for a 429's wait; on its own the call waits.
      const waitMs = verdict === 'throttled' && gate ? 0 : Math.max(retryAfterMs ?? 0, jitterMs);
      retry += 1;
      this.counters.retries += 1;
      this.backoffUntilMs = this.clock.nowMs() + waitMs;
      await this.clock.sleep(waitMs, signal);
      this.backoffUntilMs = 0;
    }
  }
}

/**
 * One fetch as an `HttpAnswer`: never throws; a refused connection, a reset or no answer within
 * `timeoutMs` comes back as a `network` answer. The one place Sluice calls `fetch` on Genesys.
 */
export async function fetchAnswer(
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): Promise<HttpAnswer> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(init.timeoutMs);
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
    });
    const bodyText = await response.text();
    return {
      kind: 'response',
      status: response.status,
      headers: headerMap(response.headers),
      bodyText,
      latencyMs: performance.now() - started,
    };
  } catch (error) {
    const timedOut = timeout.aborted && !init.signal?.aborted;
    return {
      kind: 'network',
      message: timedOut ? `no answer within ${init.timeoutMs} ms` : describeError(error),
      latencyMs: performance.now() - started,
      ...networkFailureOf(error),
    };
  }
}

/** One PUT of the file with a known Content-Length (presigned storage URLs refuse chunked bodies). */
function putStream(
  url: string,
  headers: Record<string, string>,
  filePath: string,
  size: number,
  signal: AbortSignal | undefined,
): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const network = (error: unknown): void =>
      resolve({
        kind: 'network',
        message: describeError(error),
        latencyMs: performance.now() - started,
        ...networkFailureOf(error),
      });
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'PUT',
        headers: { ...headers, 'content-length': String(size) },
        ...(signal ? { signal } : {}),
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
            kind: 'response',
            status: response.statusCode ?? 0,
            headers: responseHeaders,
            bodyText: Buffer.concat(chunks).toString('utf8'),
            latencyMs: performance.now() - started,
          });
        });
        response.on('error', network);
      },
    );
    request.on('timeout', () =>
      request.destroy(new DOMException('no answer within 10 min', 'TimeoutError')),
    );
    request.on('error', network);
    const file = createReadStream(filePath);
    file.on('error', (error) => request.destroy(error));
    file.pipe(request);
  });
}
