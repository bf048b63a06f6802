import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthService } from '../../../core/sandbox/auth';
import { buildConfig } from '../../../core/sandbox/scenarios';

const orgs = buildConfig('demo').orgs;
const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('sandbox OAuth', () => {
  it('issues client-credentials tokens that expire after tokenLifetimeSeconds', () => {
    const auth = new AuthService(orgs, 300);
    const issued = auth.token(
      basic('sandbox-client', 'sandbox-secret'),
      form({ grant_type: 'client_credentials' }),
      0,
    );
    expect(issued).toMatchObject({ status: 200, body: { token_type: 'bearer', expires_in: 300 } });
    const token = (issued.body as { access_token: string }).access_token;
    expect(auth.checkBearer(`Bearer ${token}`, 299_999)).toMatchObject({
      ok: true,
      grant: { clientId: 'sandbox-client', orgId: orgs[0]?.id },
    });
    expect(auth.checkBearer(`Bearer ${token}`, 300_000)).toEqual({
      ok: false,
      code: 'bad.credentials',
      message: 'Invalid login credentials.',
    });
    expect(auth.checkBearer(undefined, 0)).toMatchObject({
      ok: false,
      code: 'authentication.required',
    });
  });

  it('refuses a wrong secret, a missing Basic header and an unknown grant type', () => {
    const auth = new AuthService(orgs, 300);
    expect(
      auth.token(basic('sandbox-client', 'nope'), form({ grant_type: 'client_credentials' }), 0),
    ).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(auth.token({}, form({ grant_type: 'client_credentials' }), 0)).toMatchObject({
      status: 401,
    });
    expect(auth.token({}, form({ grant_type: 'password' }), 0)).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
  });

  it('checks the PKCE verifier against the S256 challenge, once, before the code expires', () => {
    const auth = new AuthService(orgs, 300);
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const clientId = orgs[0]?.pkceClientId ?? '';
    const start = (nowMs: number) => {
      const result = auth.authorize(
        form({
          client_id: clientId,
          response_type: 'code',
          redirect_uri: 'http://127.0.0.1:9/cb',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
        nowMs,
      );
      if (!('redirect' in result)) throw new Error('expected a redirect');
      return new URL(result.redirect).searchParams.get('code') ?? '';
    };
    const exchange = (code: string, codeVerifier: string, nowMs: number) =>
      auth.token(
        {},
        form({
          grant_type: 'authorization_code',
          code,
          code_verifier: codeVerifier,
          client_id: clientId,
          redirect_uri: 'http://127.0.0.1:9/cb',
        }),
        nowMs,
      );
    expect(exchange(start(0), 'w'.repeat(50), 0)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const code = start(0);
    expect(exchange(code, verifier, 1000)).toMatchObject({ status: 200 });
    expect(exchange(code, verifier, 1000)).toMatchObject({ status: 400 });
    expect(exchange(start(0), verifier, 61_000)).toMatchObject({ status: 400 });
  });

  it('revokeAll invalidates every token', () => {
    const auth = new AuthService(orgs, 300);
    const issued = auth.token(
      basic('sandbox-client', 'sandbox-secret'),
      form({ grant_type: 'client_credentials' }),
      0,
    );
    auth.revokeAll();
    expect(
      auth.checkBearer(`Bearer ${(issued.body as { access_token: string }).access_token}`, 1).ok,
    ).toBe(false);
  });
});
