/** Response headers as a plain lower-cased map. */
export type HeaderMap = Record<string, string | undefined>;

/**
 * Parses `Retry-After` into milliseconds. Genesys sends integer seconds (DESIGN §2); RFC 9110
 * also allows an HTTP-date. Returns undefined for a missing or unusable value (garbage,
 * negative, a date in the past counts as 0).
 */
export function parseRetryAfterMs(
  value: string | undefined,
  nowEpochMs = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^-/.test(text) || /^[\d.]+$/.test(text)) return undefined;
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, dateMs - nowEpochMs);
}

/** The `inin-ratelimit-*` headers of one response (DESIGN §2), when all are present and sane. */
export interface RateLimitHeaders {
  /** Requests allowed in the current window. */
  allowed: number;
  /** Requests already counted in the current window. */
  count: number;
  /** Time until the window resets, milliseconds. */
  resetMs: number;
}

/** Reads `inin-ratelimit-allowed/-count/-reset`; undefined if any is missing or malformed. */
export function parseRateLimitHeaders(headers: HeaderMap): RateLimitHeaders | undefined {
  const allowed = nonNegativeNumber(headers['inin-ratelimit-allowed']);
  const count = nonNegativeNumber(headers['inin-ratelimit-count']);
  const resetSeconds = nonNegativeNumber(headers['inin-ratelimit-reset']);
  if (allowed === undefined || count === undefined || resetSeconds === undefined) return undefined;
  if (allowed <= 0) return undefined;
  return { allowed, count, resetMs: resetSeconds * 1000 };
}

function nonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
