import { GenesysAuthError } from './auth-error';

/** A parsed OAuth token answer: the token and when it stops being valid (ms since epoch). */
export interface IssuedToken {
  accessToken: string;
  /** Lifetime the server announced, in seconds. */
  expiresInSeconds: number;
  expiresAtMs: number;
}

/** Default lifetime when a server omits `expires_in` (Genesys default is 24 h; be conservative). */
const FALLBACK_LIFETIME_SECONDS = 3600;

/**
 * Reads the answer of `POST /oauth/token` (client credentials or authorization code) and maps
 * every failure to an actionable {@link GenesysAuthError}. `what` names the exchange for
 * messages ("the client id or secret", "the sign-in code").
 */
export async function readTokenResponse(
  response: Response,
  context: { orgLabel: string; host: string; nowMs: number; refusedMessage: string },
): Promise<IssuedToken> {
  const text = await response.text();
  const body = parseJson(text);
  const correlationId = response.headers.get('inin-correlation-id') ?? undefined;
  const oauthError = typeof body?.error === 'string' ? body.error : undefined;
  const detailParts = [
    `HTTP ${response.status}`,
    oauthError && `error=${oauthError}`,
    typeof body?.error_description === 'string' && `description=${body.error_description}`,
    correlationId && `correlationId=${correlationId}`,
  ].filter(Boolean);
  const detail = detailParts.join(', ');

  if (response.ok) {
    const accessToken = body?.access_token;
    if (typeof accessToken !== 'string' || accessToken.length === 0) {
      throw new GenesysAuthError(
        'unexpected-response',
        `${context.host} answered without an access token: it does not look like a Genesys Cloud login server. Check the region or base URL.`,
        { status: response.status, detail },
      );
    }
    const expiresIn = Number(body?.expires_in);
    const expiresInSeconds =
      Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : FALLBACK_LIFETIME_SECONDS;
    return { accessToken, expiresInSeconds, expiresAtMs: context.nowMs + expiresInSeconds * 1000 };
  }
  if (response.status === 429) {
    const retryAfter = response.headers.get('retry-after');
    throw new GenesysAuthError(
      'rate-limited',
      `${context.orgLabel} is limiting sign-ins right now${retryAfter ? ` (retry in ${retryAfter} s)` : ''}. Wait a moment and try again.`,
      { status: 429, detail },
    );
  }
  if (response.status >= 500) {
    throw new GenesysAuthError(
      'server',
      `The login service of ${context.orgLabel} (${context.host}) failed (HTTP ${response.status}). Try again in a few minutes; if it persists, check status.mypurecloud.com.`,
      { status: response.status, detail },
    );
  }
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    throw new GenesysAuthError('bad-credentials', context.refusedMessage, {
      status: response.status,
      detail,
    });
  }
  throw new GenesysAuthError(
    'unexpected-response',
    `${context.host} answered HTTP ${response.status} to a sign-in: check the region or base URL of ${context.orgLabel}.`,
    { status: response.status, detail },
  );
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
