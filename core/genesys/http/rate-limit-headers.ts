/** Response headers as a plain lower-cased map. */
export type HeaderMap = Record<string, string | undefined>;

/** A fetch `Headers` object as a lower-cased `HeaderMap` (the one place names are lower-cased). */
export function headerMap(headers: Headers): HeaderMap {
  const map: HeaderMap = {};
  headers.forEach((value, name) => (map[name.toLowerCase()] = value));
  return map;
}

/**
 * Parses `Retry-After` into milliseconds. Genesys sends integer seconds (docs/GENESYS.md#rate-limit-headers); RFC 9110
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

/**
 * The `inin-ratelimit-*` headers of one response (docs/GENESYS.md#rate-limit-headers), when all are
 * present and sane. The one shape of these headers in the code base; every time is milliseconds.
 */
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

/**
 * The wait a 429's message asks for, milliseconds: Genesys words it "Rate limit exceeded the
 * maximum. Retry the request in [N] seconds" (docs/GENESYS.md#rate-limit-429-body). Used when the
 * `Retry-After` header is missing; undefined when the message says no number.
 */
export function retryAfterFromMessageMs(message: string | undefined): number | undefined {
  const match = message?.match(/retry the request in \[?(\d+(?:\.\d+)?)\]? seconds?/i);
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
