import { networkAuthError } from './auth-error';
import { createCachingTokenSource, type CachingTokenSource } from './cached-token-source';
import { resolveEndpoint, type RegionKey } from './regions';
import { readTokenResponse } from './token-response';

/** Where and how to get a client-credentials token for one org. */
export interface ClientCredentialsOptions {
  /** A Genesys region; the token comes from `https://login.{domain}`. */
  region?: RegionKey;
  /** A custom base URL (sandbox, proxy); the token comes from `{apiUrl}/oauth/token`. */
  apiUrl?: string;
  clientId: string;
  clientSecret: string;
  /** The org's display name, used in error messages. */
  orgLabel?: string;
  /** Per-request timeout for the token call, in ms (default 16 s, like the SDK). */
  requestTimeoutMs?: number;
  fetchImpl?: typeof fetch;
  nowMs?: () => number;
}

const DEFAULT_TIMEOUT_MS = 16_000;

/**
 * A {@link CachingTokenSource} for the OAuth client-credentials grant (docs/GENESYS.md#oauth-client-credentials):
 * `POST /oauth/token` with `Authorization: Basic base64(id:secret)` and
 * `grant_type=client_credentials`. Tokens live in memory only. Failures reject with a
 * `GenesysAuthError` whose message says what to fix (refused secret or wrong region,
 * unreachable host, timeout, throttled, server error); the secret never appears in it.
 */
export function createClientCredentialsTokenSource(
  options: ClientCredentialsOptions,
): CachingTokenSource {
  const endpoint = resolveEndpoint(
    options.region !== undefined ? { region: options.region } : { apiUrl: requireApiUrl(options) },
  );
  const fetchImpl = options.fetchImpl ?? fetch;
  const nowMs = options.nowMs ?? Date.now;
  const tokenUrl = `${endpoint.loginUrl}/oauth/token`;
  const host = new URL(tokenUrl).host;
  const orgLabel = options.orgLabel ?? host;
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString(
    'base64',
  );
  const regionHint =
    endpoint.region === 'custom'
      ? `and that ${endpoint.apiUrl} is the right base URL`
      : `and that the org is in region ${endpoint.region} (a client from another region is refused the same way)`;

  return createCachingTokenSource(async () => {
    let response: Response;
    try {
      response = await fetchImpl(tokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw networkAuthError(error, orgLabel, host);
    }
    return readTokenResponse(response, {
      orgLabel,
      host,
      nowMs: nowMs(),
      refusedMessage:
        `The client id or secret was refused by ${orgLabel} (${host}). Check the OAuth client ` +
        `${options.clientId} (Admin > Integrations > OAuth, grant type Client Credentials) ${regionHint}.`,
    });
  }, nowMs);
}

function requireApiUrl(options: ClientCredentialsOptions): string {
  if (!options.apiUrl) {
    throw new Error('An org needs either a region or a base URL to sign in.');
  }
  return options.apiUrl;
}
