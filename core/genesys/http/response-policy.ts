import type { FailureDetail } from '../../contract/runs';
import { accessAdvice, capacityAdvice, type GenesysCall } from './advice';
import type { NetworkFailure } from './network-failure';
import { parseRetryAfterMs, retryAfterFromMessageMs, type HeaderMap } from './rate-limit-headers';

/** One HTTP answer: status, lower-cased headers, body text and latency. */
export interface HttpResponse {
  kind: 'response';
  status: number;
  headers: HeaderMap;
  bodyText: string;
  latencyMs: number;
}

/** The request never got an HTTP answer (refused, reset, DNS, timeout). */
export interface HttpNetworkError {
  kind: 'network';
  message: string;
  latencyMs: number;
  /**
   * How it failed, read from the transport's error (network-failure.ts). Absent on answers
   * made without an error (stand-in transports): their message is read instead.
   */
  failure?: NetworkFailure;
  /** The error's code or name it was read from (ECONNREFUSED, UND_ERR_SOCKET, TimeoutError). */
  errorCode?: string;
}

/** What one request to Genesys produced. */
export type HttpAnswer = HttpResponse | HttpNetworkError;

/**
 * What to do with one answer, the single policy for every Genesys call (docs/GENESYS.md#status-classes,
 * #request-level-errors):
 * - `ok`: 2xx.
 * - `throttled` (429): wait max(Retry-After, jittered backoff) at the org level, then resend.
 *   Without the header, the wait comes from the message ("Retry the request in [N] seconds").
 * - `retryable` (502, 503, 504, network errors; also 500 and 408, which a batch with
 *   deterministic ids can safely repeat): back off and resend under a time budget.
 * - `row-problem` (400, 413, 422): some rows are bad; a batch is split to isolate them.
 * - `request-problem` (409 and other refusals): about the request, not its rows; splitting
 *   only multiplies calls, so the request fails as a whole.
 * - `unauthorized` (401): refresh the token once.
 * - `fatal` (403, 404, a full list or org): stop with advice; more requests cannot help.
 */
export type Verdict =
  'ok' | 'throttled' | 'retryable' | 'row-problem' | 'request-problem' | 'unauthorized' | 'fatal';

/** The verdict plus the detail every failure record keeps. */
export interface Classification {
  verdict: Verdict;
  detail: FailureDetail;
  /** The wait a 429 asks for (header, else message), milliseconds. */
  retryAfterMs?: number;
}

const RETRYABLE_STATUSES = new Set([408, 500, 502, 503, 504]);

/** True for a status worth sending again after a wait (a 429 or a passing server problem). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || RETRYABLE_STATUSES.has(status);
}
const ROW_PROBLEM_STATUSES = new Set([400, 413, 422]);

/** Classifies one answer of `call`. Never throws, whatever the body looks like. */
export function classifyAnswer(
  answer: HttpAnswer,
  call: GenesysCall,
  contactListId?: string,
): Classification {
  if (answer.kind === 'network') {
    return {
      verdict: 'retryable',
      detail: { status: 0, reason: `Network error: ${answer.message}` },
    };
  }
  const { status, headers } = answer;
  const correlation = headers['inin-correlation-id'];
  const correlationId = correlation ? { correlationId: correlation } : {};
  if (status >= 200 && status < 300) {
    // a success echoes what was sent: no need to parse it here
    return { verdict: 'ok', detail: { status, reason: 'OK', ...correlationId } };
  }
  const body = parseErrorBody(answer.bodyText);
  const detail: FailureDetail = {
    status,
    reason: body.message ?? `HTTP ${status}`,
    ...(body.code ? { code: body.code } : {}),
    ...correlationId,
  };
  if (status === 429) {
    const retryAfterMs =
      parseRetryAfterMs(headers['retry-after']) ?? retryAfterFromMessageMs(body.message);
    return {
      verdict: 'throttled',
      detail,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (status === 401) return { verdict: 'unauthorized', detail };
  if (status === 403 || status === 404) {
    return { verdict: 'fatal', detail: accessAdvice(call, detail, contactListId) };
  }
  if (RETRYABLE_STATUSES.has(status)) return { verdict: 'retryable', detail };
  if (isCapacityProblem(body)) return { verdict: 'fatal', detail: capacityAdvice(detail) };
  if (ROW_PROBLEM_STATUSES.has(status)) return { verdict: 'row-problem', detail };
  return { verdict: 'request-problem', detail };
}

/**
 * True when an error body says the list (1,000,000 contacts) or the org (5,000,000) is full
 * (docs/GENESYS.md#list-capacity). Recognised from the code or the message, which name the limit.
 */
export function isCapacityProblem(body: { message?: string; code?: string }): boolean {
  const code = body.code ?? '';
  const message = body.message ?? '';
  if (/contact.*(limit|max)|max.*contacts|limit\.exceeded/i.test(code)) return true;
  return /(list|org\w*)\b.*\b(exceed|reached|full|maximum|limit)\w*.*\bcontacts?\b|\bcontacts?\b.*\b(limit|maximum)\b.*\b(list|org\w*)\b/i.test(
    message,
  );
}

/** Reads `{message, code}` from a Genesys error body; tolerates empty or non-JSON bodies. */
export function parseErrorBody(bodyText: string): { message?: string; code?: string } {
  if (!bodyText) return {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      return {
        ...(typeof record.message === 'string' ? { message: record.message } : {}),
        ...(typeof record.code === 'string' ? { code: record.code } : {}),
      };
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return { message: bodyText.slice(0, 300) };
}
