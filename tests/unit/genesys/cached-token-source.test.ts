import { describe, expect, it } from 'vitest';
import { createCachingTokenSource } from '../../../core/genesys/cached-token-source';
import type { IssuedToken } from '../../../core/genesys/token-response';

// Sign-out races: `clear()` (sign-out) while a token fetch is under way. The fetch still settles
// for whoever asked before the sign-out, but its token must not be cached afterwards, or a
// signed-out org would quietly keep working with the old session.

const NOW_MS = 1_000_000;

/** A token fetcher whose answers the test releases one by one, in any order. */
function controlledFetcher() {
  const pending: Array<{ resolve: (token: IssuedToken) => void; reject: (e: Error) => void }> = [];
  const fetchToken = () =>
    new Promise<IssuedToken>((resolve, reject) => pending.push({ resolve, reject }));
  const issue = (index: number, accessToken: string) =>
    pending[index]!.resolve({
      accessToken,
      expiresInSeconds: 3600,
      expiresAtMs: NOW_MS + 3_600_000,
    });
  return { fetchToken, pending, issue };
}

describe('createCachingTokenSource: clear() during a token fetch (sign-out race)', () => {
  it('a token fetched before clear() reaches its caller but is not cached after it', async () => {
    const fetcher = controlledFetcher();
    const source = createCachingTokenSource(fetcher.fetchToken, () => NOW_MS);

    const beforeSignOut = source.getAccessToken();
    expect(fetcher.pending).toHaveLength(1);
    source.clear();
    fetcher.issue(0, 'token-of-the-old-session');

    await expect(beforeSignOut).resolves.toBe('token-of-the-old-session');
    expect(source.expiresAtMs()).toBeUndefined();
    // The next call after the sign-out fetches anew instead of reusing the old session's token.
    const afterSignOut = source.getAccessToken();
    expect(fetcher.pending).toHaveLength(2);
    fetcher.issue(1, 'token-of-the-new-session');
    await expect(afterSignOut).resolves.toBe('token-of-the-new-session');
    expect(source.expiresAtMs()).toBe(NOW_MS + 3_600_000);
  });

  it('an old fetch that answers after a new sign-in does not replace the new token', async () => {
    const fetcher = controlledFetcher();
    const source = createCachingTokenSource(fetcher.fetchToken, () => NOW_MS);

    const old = source.getAccessToken();
    source.clear();
    const fresh = source.getAccessToken();
    expect(fetcher.pending).toHaveLength(2);
    fetcher.issue(1, 'new-session');
    await expect(fresh).resolves.toBe('new-session');
    fetcher.issue(0, 'old-session');
    await expect(old).resolves.toBe('old-session');

    await expect(source.getAccessToken()).resolves.toBe('new-session');
    expect(fetcher.pending).toHaveLength(2);
  });

  it('callers waiting on one fetch share it; after clear() a new caller does not join it', async () => {
    const fetcher = controlledFetcher();
    const source = createCachingTokenSource(fetcher.fetchToken, () => NOW_MS);

    const first = source.getAccessToken();
    const second = source.getAccessToken();
    expect(fetcher.pending).toHaveLength(1);
    source.clear();
    const third = source.getAccessToken();
    expect(fetcher.pending).toHaveLength(2);
    fetcher.issue(0, 'old');
    fetcher.issue(1, 'new');
    await expect(Promise.all([first, second, third])).resolves.toEqual(['old', 'old', 'new']);
  });
});
