import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { codeChallengeFor, signInWithPkce } from '../../../core/genesys/pkce';
import { createSessionTokenSource } from '../../../core/genesys/session-token-source';
import { listenOnLoopback } from '../../support/loopback-server';

/** A stub login server: /oauth/authorize redirects per `mode`, /oauth/token checks the verifier. */
async function startLoginStub(mode: 'approve' | 'wrong-state' | 'deny') {
  const challenges = new Map<string, string>();
  const exchanges: URLSearchParams[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (url.pathname === '/oauth/authorize') {
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
      if (mode === 'deny') redirect.searchParams.set('error', 'access_denied');
      else {
        const code = `code-${challenges.size}`;
        challenges.set(code, url.searchParams.get('code_challenge') ?? '');
        redirect.searchParams.set('code', code);
      }
      redirect.searchParams.set(
        'state',
        mode === 'wrong-state' ? 'forged' : (url.searchParams.get('state') ?? ''),
      );
      response.writeHead(302, { Location: redirect.toString() }).end();
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      exchanges.push(form);
      const expected = challenges.get(form.get('code') ?? '');
      const ok =
        expected !== undefined && codeChallengeFor(form.get('code_verifier') ?? '') === expected;
      response
        .writeHead(ok ? 200 : 400, { 'Content-Type': 'application/json' })
        .end(
          JSON.stringify(
            ok ? { access_token: 'person-token', expires_in: 600 } : { error: 'invalid_grant' },
          ),
        );
    });
  });
  const { url, stop } = await listenOnLoopback(server);
  return { url, exchanges, stop };
}

/** Plays the browser: follows the authorize redirect to the loopback listener. */
async function browser(authorizeUrl: string): Promise<void> {
  const first = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = first.headers.get('location');
  if (location) await fetch(location);
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

describe('signInWithPkce', () => {
  it('completes authorize → loopback → code exchange with the verifier', async () => {
    const stub = await startLoginStub('approve');
    stops.push(stub.stop);
    let seen = '';
    const token = await signInWithPkce({
      apiUrl: stub.url,
      clientId: 'pkce-client',
      openBrowser: async (url) => {
        seen = url;
        await browser(url);
      },
      timeoutMs: 5000,
    });
    expect(token.accessToken).toBe('person-token');
    const authorize = new URL(seen);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/callback$/,
    );
    expect(stub.exchanges[0]?.get('grant_type')).toBe('authorization_code');
    expect(stub.exchanges[0]?.get('client_id')).toBe('pkce-client');
    expect(stub.exchanges[0]?.get('redirect_uri')).toBe(authorize.searchParams.get('redirect_uri'));
  });

  it('ignores an answer whose state does not match, and exchanges nothing', async () => {
    const stub = await startLoginStub('wrong-state');
    stops.push(stub.stop);
    // A mismatched answer is ignored (not fatal): the sign-in fails only at its timeout.
    await expect(
      signInWithPkce({ apiUrl: stub.url, clientId: 'c', openBrowser: browser, timeoutMs: 1000 }),
    ).rejects.toMatchObject({ kind: 'state-mismatch' });
    expect(stub.exchanges).toHaveLength(0);
  });

  it('reports a denied consent', async () => {
    const stub = await startLoginStub('deny');
    stops.push(stub.stop);
    await expect(
      signInWithPkce({ apiUrl: stub.url, clientId: 'c', openBrowser: browser, timeoutMs: 5000 }),
    ).rejects.toMatchObject({ kind: 'denied', message: expect.stringContaining('access_denied') });
  });

  it('times out when the browser never comes back, and frees the port', async () => {
    let redirectPort = 0;
    await expect(
      signInWithPkce({
        apiUrl: 'http://127.0.0.1:9',
        clientId: 'c',
        openBrowser: (url) => {
          redirectPort = Number(new URL(new URL(url).searchParams.get('redirect_uri') ?? '').port);
        },
        timeoutMs: 50,
      }),
    ).rejects.toMatchObject({ kind: 'timeout' });
    await expect(fetch(`http://127.0.0.1:${redirectPort}/callback`)).rejects.toThrow();
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const pending = signInWithPkce({
      apiUrl: 'http://127.0.0.1:9',
      clientId: 'c',
      openBrowser: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('createSessionTokenSource', () => {
  it('serves the token until it expires or is invalidated, then asks to sign in again', async () => {
    let now = 0;
    const source = createSessionTokenSource(
      { accessToken: 't', expiresInSeconds: 10, expiresAtMs: 10_000 },
      'Acme',
      () => now,
    );
    await expect(source.getAccessToken()).resolves.toBe('t');
    now = 10_000;
    await expect(source.getAccessToken()).rejects.toThrow(/Sign in again/);
    const other = createSessionTokenSource(
      { accessToken: 'u', expiresInSeconds: 10, expiresAtMs: 10_000 },
      'Acme',
      () => 0,
    );
    other.invalidate('u');
    await expect(other.getAccessToken()).rejects.toThrow(/expired/);
  });
});

describe('signInWithPkce opener failure', () => {
  it('fails at once when the browser cannot be opened, leaving no timer behind', async () => {
    await expect(
      signInWithPkce({
        apiUrl: 'http://127.0.0.1:9',
        clientId: 'c',
        openBrowser: () => {
          throw new Error('no browser');
        },
        timeoutMs: 60_000,
      }),
    ).rejects.toMatchObject({ kind: 'cancelled', message: expect.stringContaining('no browser') });
  });
});
