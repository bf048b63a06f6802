import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxOrgConfig } from './types';

/** An issued access token and whom it belongs to. */
export interface TokenGrant {
  token: string;
  clientId: string;
  orgId: string;
  expiresAtMs: number;
  /** API requests made with this token (for the token-expiry fault). */
  requestCount: number;
  revoked: boolean;
}

/** An OAuth error answer (`{error, description, error_description}`, the login service's shape). */
export interface OAuthErrorResult {
  status: number;
  body: { error: string; description: string; error_description: string };
}

/** Outcome of checking a bearer token: the grant, or a Genesys 401 code and message. */
export type BearerCheck =
  { ok: true; grant: TokenGrant } | { ok: false; code: string; message: string };

interface PendingCode {
  clientId: string;
  orgId: string;
  redirectUri: string;
  challenge: string;
  expiresAtMs: number;
}

const CODE_LIFETIME_MS = 60_000;

/**
 * Tokens and authorization codes of every org (docs/GENESYS.md#oauth-client-credentials, #oauth-pkce): client credentials with
 * HTTP Basic, and authorization code + PKCE (S256 only) for a person signing in.
 */
export class AuthService {
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly codes = new Map<string, PendingCode>();
  issued = 0;

  constructor(
    private readonly orgs: SandboxOrgConfig[],
    private readonly tokenLifetimeSeconds: number,
  ) {}

  /** `POST /oauth/token` with a parsed form body. */
  token(
    headers: IncomingHttpHeaders,
    form: URLSearchParams,
    nowMs: number,
  ): { status: number; body: unknown } {
    const grantType = form.get('grant_type');
    if (grantType === 'client_credentials') return this.clientCredentials(headers, nowMs);
    if (grantType === 'authorization_code') return this.authorizationCode(form, nowMs);
    return oauthError(
      400,
      'unsupported_grant_type',
      `grant_type '${grantType ?? ''}' is not supported.`,
    );
  }

  /**
   * `GET /oauth/authorize`: auto-approves the org's configured user and returns the redirect
   * (`redirect_uri?code=...&state=...`), or an OAuth error for a bad request.
   */
  authorize(query: URLSearchParams, nowMs: number): { redirect: string } | OAuthErrorResult {
    const clientId = query.get('client_id') ?? '';
    const org = this.orgs.find((candidate) => candidate.pkceClientId === clientId);
    if (org === undefined)
      return oauthError(400, 'invalid_client', `Unknown client_id '${clientId}'.`);
    const redirectUri = query.get('redirect_uri');
    if (redirectUri === null || !/^https?:\/\//.test(redirectUri)) {
      return oauthError(400, 'invalid_request', 'redirect_uri is missing or not an http(s) URL.');
    }
    if (query.get('response_type') !== 'code') {
      return oauthError(400, 'unsupported_response_type', "response_type must be 'code'.");
    }
    const challenge = query.get('code_challenge');
    if (challenge === null || query.get('code_challenge_method') !== 'S256') {
      return oauthError(
        400,
        'invalid_request',
        'code_challenge with code_challenge_method=S256 is required.',
      );
    }
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      clientId,
      orgId: org.id,
      redirectUri,
      challenge,
      expiresAtMs: nowMs + CODE_LIFETIME_MS,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { redirect: target.toString() };
  }

  /** Checks an `Authorization: Bearer` header; 401 codes follow the Genesys API. */
  checkBearer(header: string | undefined, nowMs: number): BearerCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (match === null) {
      return {
        ok: false,
        code: 'authentication.required',
        message: 'No authentication bearer token specified in authorization header.',
      };
    }
    const grant = this.tokens.get(match[1] ?? '');
    if (grant === undefined || grant.revoked || grant.expiresAtMs <= nowMs) {
      return { ok: false, code: 'bad.credentials', message: 'Invalid login credentials.' };
    }
    return { ok: true, grant };
  }

  /** Makes the tokens of one org invalid (a rotated secret). */
  revokeOrg(orgId: string): void {
    for (const grant of this.tokens.values()) if (grant.orgId === orgId) grant.revoked = true;
  }

  /** Makes every token invalid (the 401-until-new-token fault, and scenario reset). */
  revokeAll(): void {
    for (const grant of this.tokens.values()) grant.revoked = true;
  }

  private clientCredentials(
    headers: IncomingHttpHeaders,
    nowMs: number,
  ): { status: number; body: unknown } {
    const match = /^Basic\s+(\S+)$/i.exec(String(headers.authorization ?? ''));
    if (match === null)
      return oauthError(401, 'invalid_client', 'client credentials are required (HTTP Basic).');
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const clientId = decoded.slice(0, separator);
    const secret = decoded.slice(separator + 1);
    const org = this.orgs.find((candidate) => candidate.clientId === clientId);
    if (separator < 0 || org === undefined || !sameText(org.clientSecret, secret)) {
      return oauthError(401, 'invalid_client', 'client not found or secret does not match');
    }
    return { status: 200, body: this.issue(clientId, org.id, nowMs) };
  }

  private authorizationCode(
    form: URLSearchParams,
    nowMs: number,
  ): { status: number; body: unknown } {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (pending === undefined || pending.expiresAtMs <= nowMs) {
      return oauthError(
        400,
        'invalid_grant',
        'The authorization code is unknown, used or expired.',
      );
    }
    if (
      form.get('client_id') !== pending.clientId ||
      form.get('redirect_uri') !== pending.redirectUri
    ) {
      return oauthError(
        400,
        'invalid_grant',
        'client_id or redirect_uri does not match the authorization request.',
      );
    }
    const verifier = form.get('code_verifier') ?? '';
    const computed = createHash('sha256').update(verifier).digest('base64url');
    if (!sameText(computed, pending.challenge)) {
      return oauthError(
        400,
        'invalid_grant',
        'code_verifier does not match the code_challenge (S256).',
      );
    }
    return { status: 200, body: this.issue(pending.clientId, pending.orgId, nowMs) };
  }

  private issue(clientId: string, orgId: string, nowMs: number) {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, {
      token,
      clientId,
      orgId,
      expiresAtMs: nowMs + this.tokenLifetimeSeconds * 1000,
      requestCount: 0,
      revoked: false,
    });
    this.issued += 1;
    return { access_token: token, token_type: 'bearer', expires_in: this.tokenLifetimeSeconds };
  }
}

function oauthError(status: number, error: string, description: string): OAuthErrorResult {
  return { status, body: { error, description, error_description: description } };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
