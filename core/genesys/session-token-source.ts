import { GenesysAuthError } from './auth-error';
import type { CachingTokenSource } from './cached-token-source';
import type { IssuedToken } from './token-response';

/**
 * Holds the token of a person's PKCE sign-in (memory only). There is no silent refresh: when the
 * token expires (or draws a 401), `getAccessToken` rejects with "sign in again", because a new
 * token needs the person in the browser.
 */
export function createSessionTokenSource(
  token: IssuedToken,
  orgLabel: string,
  nowMs: () => number = Date.now,
): CachingTokenSource {
  let current: IssuedToken | undefined = token;
  return {
    async getAccessToken() {
      if (current && nowMs() < current.expiresAtMs) return current.accessToken;
      current = undefined;
      throw new GenesysAuthError(
        'bad-credentials',
        `Your sign-in to ${orgLabel} has expired. Sign in again.`,
        { status: 401 },
      );
    },
    invalidate(accessToken) {
      if (current?.accessToken === accessToken) current = undefined;
    },
    expiresAtMs: () => current?.expiresAtMs,
    clear() {
      current = undefined;
    },
  };
}
