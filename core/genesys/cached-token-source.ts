import type { TokenSource } from './token-source';
import type { IssuedToken } from './token-response';

/** The longest a token is refreshed ahead of its expiry. */
const MAX_REFRESH_MARGIN_MS = 60_000;
/** For short-lived tokens (300 s minimum per client), refresh when 10% of the lifetime is left. */
const REFRESH_MARGIN_FRACTION = 0.1;

/** A token source that also says what it holds, for status display (never the token itself). */
export interface CachingTokenSource extends TokenSource {
  /** When the cached token expires (ms since epoch), or undefined when nothing is cached. */
  expiresAtMs(): number | undefined;
  /** Forgets the cached token (sign-out). A fetch already under way still settles for its callers. */
  clear(): void;
}

/**
 * Wraps a token fetcher with the lifecycle every org needs: an in-memory cache, a refresh a
 * little before expiry (min(60 s, 10% of the lifetime)), one fetch shared by concurrent callers,
 * and `invalidate(token)` after a 401 so the next call fetches once. A failed fetch is not
 * cached: the next call tries again. `nowMs` is injectable for tests.
 */
export function createCachingTokenSource(
  fetchToken: () => Promise<IssuedToken>,
  nowMs: () => number = Date.now,
): CachingTokenSource {
  let cached: IssuedToken | undefined;
  let pending: Promise<IssuedToken> | undefined;
  let generation = 0;

  const isFresh = (token: IssuedToken): boolean => {
    const lifetimeMs = token.expiresInSeconds * 1000;
    const marginMs = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * REFRESH_MARGIN_FRACTION);
    return nowMs() < token.expiresAtMs - marginMs;
  };

  const refresh = (): Promise<IssuedToken> => {
    if (pending) return pending;
    const startedGeneration = generation;
    const attempt = fetchToken().then(
      (token) => {
        if (pending === attempt) pending = undefined;
        // A sign-out (clear) while fetching must not resurrect the session.
        if (startedGeneration === generation) cached = token;
        return token;
      },
      (error: unknown) => {
        if (pending === attempt) pending = undefined;
        throw error;
      },
    );
    pending = attempt;
    return attempt;
  };

  return {
    async getAccessToken() {
      if (cached && isFresh(cached)) return cached.accessToken;
      return (await refresh()).accessToken;
    },
    invalidate(token) {
      if (cached?.accessToken === token) cached = undefined;
    },
    expiresAtMs() {
      return cached?.expiresAtMs;
    },
    clear() {
      generation += 1;
      cached = undefined;
      pending = undefined;
    },
  };
}
