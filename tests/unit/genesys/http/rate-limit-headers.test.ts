import { describe, expect, it } from 'vitest';
import {
  parseRateLimitHeaders,
  parseRetryAfterMs,
} from '../../../../core/genesys/http/rate-limit-headers';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-29T10:00:00Z');

  it('reads integer and fractional seconds', () => {
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, past dates as 0', () => {
    expect(parseRetryAfterMs('Sun, 29 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfterMs('Sun, 29 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('rejects garbage, negatives and missing values', () => {
    for (const value of [undefined, '', 'soon', '-5', '1e3', '12abc', '1.2.3', 'NaN']) {
      expect(parseRetryAfterMs(value, now)).toBeUndefined();
    }
  });
});

describe('parseRateLimitHeaders', () => {
  it('reads the inin-ratelimit triple', () => {
    expect(
      parseRateLimitHeaders({
        'inin-ratelimit-allowed': '180',
        'inin-ratelimit-count': '1',
        'inin-ratelimit-reset': '61',
      }),
    ).toEqual({ allowed: 180, count: 1, resetMs: 61_000 });
  });

  it('returns undefined when a header is missing or malformed', () => {
    expect(parseRateLimitHeaders({ 'inin-ratelimit-allowed': '180' })).toBeUndefined();
    expect(
      parseRateLimitHeaders({
        'inin-ratelimit-allowed': 'x',
        'inin-ratelimit-count': '1',
        'inin-ratelimit-reset': '61',
      }),
    ).toBeUndefined();
  });
});
