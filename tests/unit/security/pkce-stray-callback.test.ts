import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { signInWithPkce } from '../../../core/genesys/pkce';
import { listenOnLoopback } from '../../support/loopback-server';

/** A login server that approves every authorize request and answers every code exchange. */
async function startLoginStub() {
  const exchanged: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (url.pathname === '/oauth/authorize') {
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
      redirect.searchParams.set('code', 'good-code');
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { Location: redirect.toString() }).end();
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      exchanged.push(new URLSearchParams(body).get('code') ?? '');
      response
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ access_token: 'person-token', expires_in: 600 }));
    });
  });
  const { url, stop } = await listenOnLoopback(server);
  return { url, exchanged, stop };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => stop?.());

describe('PKCE loopback callback', () => {
  it('a stray callback with another state is refused and the sign-in keeps waiting', async () => {
    const stub = await startLoginStub();
    stop = stub.stop;
    const strayStatuses: number[] = [];
    const token = await signInWithPkce({
      apiUrl: stub.url,
      clientId: 'c',
      timeoutMs: 5000,
      openBrowser: async (authorizeUrl) => {
        const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '';
        // Another local process (or a web page) pokes the listener first.
        for (const query of ['state=forged&code=evil', 'code=evil', 'error=access_denied']) {
          strayStatuses.push((await fetch(`${redirectUri}?${query}`)).status);
        }
        const first = await fetch(authorizeUrl, { redirect: 'manual' });
        await fetch(first.headers.get('location') ?? '');
      },
    });
    expect(strayStatuses).toEqual([400, 400, 400]);
    expect(token.accessToken).toBe('person-token');
    expect(stub.exchanged).toEqual(['good-code']);
  });
});
