import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callGenesys,
  createGenesysApiClient,
  toGenesysApiError,
} from '../../core/genesys/sdk-client';
import { startSandbox, type Sandbox } from '../../core/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

const REDIRECT = 'http://127.0.0.1:53682/callback';

/** Follows `/oauth/authorize` as the system browser would, returning the redirect's query. */
async function authorize(
  params: Record<string, string>,
): Promise<{ status: number; location: URL | undefined; body: string }> {
  const response = await fetch(`${sandbox.url}/oauth/authorize?${new URLSearchParams(params)}`, {
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  return {
    status: response.status,
    location: location === null ? undefined : new URL(location),
    body: await response.text(),
  };
}

describe('authorization code + PKCE (S256) through the SDK', () => {
  it('auto-approves the configured user, redirects with code and state, and the SDK exchanges it', async () => {
    const { apiClient, organization } = createGenesysApiClient({ baseUrl: sandbox.url });
    const verifier = apiClient.generatePKCECodeVerifier(64);
    const challenge = await apiClient.computePKCECodeChallenge(verifier);
    const pkceClientId = sandbox.orgs[0]?.pkceClientId ?? '';
    const redirect = await authorize({
      client_id: pkceClientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    });
    expect(redirect.status).toBe(302);
    expect(redirect.location?.origin + (redirect.location?.pathname ?? '')).toBe(REDIRECT);
    expect(redirect.location?.searchParams.get('state')).toBe('xyz');
    const code = redirect.location?.searchParams.get('code') ?? '';
    const auth = await apiClient.authorizePKCEGrant(pkceClientId, verifier, code, REDIRECT);
    expect(auth.accessToken).toEqual(expect.any(String));
    const me = await callGenesys<{ name: string }>(() => organization.getOrganizationsMe());
    expect(me.body.name).toBe('Sandbox');
    // A code is single-use.
    const reuse = await apiClient
      .authorizePKCEGrant(pkceClientId, verifier, code, REDIRECT)
      .catch((error: unknown) => toGenesysApiError(error));
    expect(reuse).toMatchObject({ status: 400 });
  });

  it('refuses a verifier that does not match the challenge, and a non-S256 request', async () => {
    const { apiClient } = createGenesysApiClient({ baseUrl: sandbox.url });
    const verifier = apiClient.generatePKCECodeVerifier(64);
    const pkceClientId = sandbox.orgs[0]?.pkceClientId ?? '';
    const base = { client_id: pkceClientId, response_type: 'code', redirect_uri: REDIRECT };
    const redirect = await authorize({
      ...base,
      code_challenge: await apiClient.computePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const code = redirect.location?.searchParams.get('code') ?? '';
    const wrong = await apiClient
      .authorizePKCEGrant(pkceClientId, apiClient.generatePKCECodeVerifier(64), code, REDIRECT)
      .catch((error: unknown) => toGenesysApiError(error));
    expect(wrong).toMatchObject({
      status: 400,
      code: 'invalid_grant',
      message: expect.stringMatching(/code_verifier does not match/),
    });
    const plain = await authorize({
      ...base,
      code_challenge: verifier,
      code_challenge_method: 'plain',
    });
    expect(plain.status).toBe(400);
    expect(JSON.parse(plain.body)).toMatchObject({ error: 'invalid_request' });
    const unknownClient = await authorize({
      ...base,
      client_id: 'nobody',
      code_challenge: 'x',
      code_challenge_method: 'S256',
    });
    expect(JSON.parse(unknownClient.body)).toMatchObject({ error: 'invalid_client' });
  });
});
