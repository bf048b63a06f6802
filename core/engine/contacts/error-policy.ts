import type { FailureDetail } from '../../contract/runs';
import { parseRetryAfterMs } from '../../genesys/http/rate-limit-headers';
import type { TransportResult } from './transport';

/**
 * What the engine does with one answer (DESIGN §2, §6):
 * - `ok`: the batch is acknowledged.
 * - `throttled` (429): wait max(Retry-After, jittered backoff) at the org level, then resend.
 * - `retryable` (5xx, network, timeout): back off and resend, under a time budget.
 * - `row-problem` (400/413/422 and other 4xx): bisect until the offending rows are isolated.
 * - `unauthorized` (401): invalidate the token and retry once.
 * - `fatal` (403/404): stop the run; it is a configuration problem, not a row problem.
 */
export type Verdict = 'ok' | 'throttled' | 'retryable' | 'row-problem' | 'unauthorized' | 'fatal';

/** The verdict plus the detail every failure record keeps. */
export interface Classification {
  verdict: Verdict;
  detail: FailureDetail;
  /** Parsed `Retry-After` of a 429, milliseconds. */
  retryAfterMs?: number;
}

/** Classifies one transport result. Never throws, whatever the body looks like. */
export function classify(
  result: TransportResult,
  context: { contactListId: string },
): Classification {
  if (result.kind === 'network') {
    return {
      verdict: 'retryable',
      detail: { status: 0, reason: `Network error: ${result.message}` },
    };
  }
  const { status, headers } = result;
  const correlation = headers['inin-correlation-id'];
  if (status >= 200 && status < 300) {
    // a success echoes every contact back: no need to parse it
    return {
      verdict: 'ok',
      detail: { status, reason: 'OK', ...(correlation ? { correlationId: correlation } : {}) },
    };
  }
  const body = parseErrorBody(result.bodyText);
  const detail: FailureDetail = {
    status,
    reason: body.message ?? `HTTP ${status}`,
    ...(body.code ? { code: body.code } : {}),
    ...(headers['inin-correlation-id'] ? { correlationId: headers['inin-correlation-id'] } : {}),
  };
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headers['retry-after']);
    return {
      verdict: 'throttled',
      detail,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (status === 401) return { verdict: 'unauthorized', detail };
  if (status === 403) {
    return {
      verdict: 'fatal',
      detail: {
        ...detail,
        reason: `Genesys refused access (403: ${detail.reason}). The OAuth client needs the permissions outbound:contact:add and outbound:contactList:view, and access to the list's division.`,
      },
    };
  }
  if (status === 404) {
    return {
      verdict: 'fatal',
      detail: {
        ...detail,
        reason: `Contact list ${context.contactListId} was not found (404: ${detail.reason}). Check the list id and that it belongs to this org.`,
      },
    };
  }
  if (status >= 500 || status === 408) return { verdict: 'retryable', detail };
  return { verdict: 'row-problem', detail };
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
