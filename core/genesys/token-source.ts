/**
 * Where the engine and the services get a bearer token for one org. Implementations (client
 * credentials, PKCE) live in this folder; they cache the token in memory, refresh it before it
 * expires, and share one refresh between concurrent callers.
 */
export interface TokenSource {
  /** A valid access token, fetched or refreshed if needed. Rejects with an actionable message. */
  getAccessToken(): Promise<string>;
  /**
   * Tells the source that `token` drew a 401: the next `getAccessToken` fetches a new one
   * (once; a second 401 with a fresh token is a real authorisation problem).
   */
  invalidate(token: string): void;
}
