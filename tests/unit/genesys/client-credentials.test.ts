import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GenesysAuthError } from '../../../core/genesys/auth-error';
import { createClientCredentialsTokenSource } from '../../../core/genesys/client-credentials';
import { listenOnLoopback } from '../../support/loopback-server';

interface TokenServer {
  url: string;
  requests: { authorization: string | undefined; body: string; path: string }[];
  stop(): Promise<void>;
}

/** A tiny OAuth token endpoint; `answer` decides each reply. */
async function startTokenServer(
  answer: (index: number) => { status: number; body: unknown; delayMs?: number },
): Promise<TokenServer> {
  const requests: TokenServer['requests'] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const index = requests.length;
      requests.push({
        authorization: request.headers.authorization,
        body,
        path: request.url ?? '',
      });
      const reply = answer(index);
      setTimeout(() => {
        response.writeHead(reply.status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  return { ...(await listenOnLoopback(server)), requests };
}

const servers: TokenServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function serve(answer: Parameters<typeof startTokenServer>[0]): Promise<TokenServer> {
  const server = await startTokenServer(answer);
  servers.push(server);
  return server;
}

const ok = (index: number) => ({
  status: 200,
  body: { access_token: `token-${index}`, token_type: 'bearer', expires_in: 86400 },
});

describe('createClientCredentialsTokenSource', () => {
  it('posts the client-credentials grant with Basic auth to {base}/oauth/token', async () => {
    const server = await serve(ok);
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'my-client',
      clientSecret: 's3cret',
    });
    await expect(source.getAccessToken()).resolves.toBe('token-0');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/oauth/token');
    expect(server.requests[0]?.body).toBe('grant_type=client_credentials');
    const expected = `Basic ${Buffer.from('my-client:s3cret').toString('base64')}`;
    expect(server.requests[0]?.authorization).toBe(expected);
  });

  it('caches the token and shares one fetch between concurrent callers', async () => {
    const server = await serve((index) => ({ ...ok(index), delayMs: 30 }));
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'c',
      clientSecret: 's',
    });
    const tokens = await Promise.all(Array.from({ length: 8 }, () => source.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['token-0']));
    await expect(source.getAccessToken()).resolves.toBe('token-0');
    expect(server.requests).toHaveLength(1);
  });

  it('refreshes before expiry: 60 s early for long tokens, 10% of the lifetime for short ones', async () => {
    let now = 1_000_000;
    const lifetimes = [3600, 300];
    const server = await serve((index) => ({
      status: 200,
      body: { access_token: `token-${index}`, expires_in: lifetimes[index] ?? 3600 },
    }));
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'c',
      clientSecret: 's',
      nowMs: () => now,
    });
    await expect(source.getAccessToken()).resolves.toBe('token-0');
    now += (3600 - 61) * 1000; // 61 s left: still fresh
    await expect(source.getAccessToken()).resolves.toBe('token-0');
    now += 2000; // 59 s left: refresh
    await expect(source.getAccessToken()).resolves.toBe('token-1');
    // token-1 lives 300 s, so the margin is 30 s, not 60 s.
    now += (300 - 31) * 1000;
    await expect(source.getAccessToken()).resolves.toBe('token-1');
    now += 2000;
    await expect(source.getAccessToken()).resolves.toBe('token-2');
    expect(server.requests).toHaveLength(3);
  });

  it('refetches once after invalidate(current token) and ignores a stale invalidate', async () => {
    const server = await serve(ok);
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'c',
      clientSecret: 's',
    });
    const first = await source.getAccessToken();
    source.invalidate(first);
    const [a, b] = await Promise.all([source.getAccessToken(), source.getAccessToken()]);
    expect([a, b]).toEqual(['token-1', 'token-1']);
    source.invalidate(first); // stale: token-1 stays
    await expect(source.getAccessToken()).resolves.toBe('token-1');
    expect(server.requests).toHaveLength(2);
  });

  it('maps a refused secret to an actionable message without the secret', async () => {
    const server = await serve(() => ({
      status: 401,
      body: { error: 'invalid_client', description: 'Invalid client credentials' },
    }));
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'my-client',
      clientSecret: 'super-secret-value',
      orgLabel: 'Acme EU',
    });
    const error = await source.getAccessToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenesysAuthError);
    const authError = error as GenesysAuthError;
    expect(authError.kind).toBe('bad-credentials');
    expect(authError.message).toMatch(/client id or secret was refused by Acme EU/);
    expect(authError.message).toContain('my-client');
    expect(`${authError.message} ${authError.detail}`).not.toContain('super-secret-value');
    expect(authError.detail).toContain('invalid_client');
  });

  it('does not cache a failure: the next call tries again', async () => {
    const server = await serve((index) =>
      index === 0 ? { status: 503, body: { message: 'busy' } } : ok(index),
    );
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'c',
      clientSecret: 's',
    });
    await expect(source.getAccessToken()).rejects.toMatchObject({ kind: 'server', status: 503 });
    await expect(source.getAccessToken()).resolves.toBe('token-1');
  });

  it('says the host is unreachable when nothing listens there', async () => {
    const server = await serve(ok);
    const url = server.url;
    await server.stop();
    servers.length = 0;
    const source = createClientCredentialsTokenSource({
      apiUrl: url,
      clientId: 'c',
      clientSecret: 's',
      orgLabel: 'Sandbox',
    });
    await expect(source.getAccessToken()).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(/Cannot reach 127\.0\.0\.1:\d+ to sign in to Sandbox/),
    });
  });

  it('maps a slow login server to a timeout', async () => {
    const server = await serve((index) => ({ ...ok(index), delayMs: 500 }));
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'c',
      clientSecret: 's',
      requestTimeoutMs: 50,
    });
    await expect(source.getAccessToken()).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('uses https://login.{domain} for a region', async () => {
    const calls: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ access_token: 'regional', expires_in: 600 }), {
        status: 200,
      });
    };
    const source = createClientCredentialsTokenSource({
      region: 'eu_west_1',
      clientId: 'c',
      clientSecret: 's',
      fetchImpl,
    });
    await expect(source.getAccessToken()).resolves.toBe('regional');
    expect(calls).toEqual(['https://login.mypurecloud.ie/oauth/token']);
  });

  it('rejects a 200 without an access token as not a Genesys login server', async () => {
    const server = await serve(() => ({ status: 200, body: { hello: 'proxy' } }));
    const source = createClientCredentialsTokenSource({
      apiUrl: server.url,
      clientId: 'c',
      clientSecret: 's',
    });
    await expect(source.getAccessToken()).rejects.toMatchObject({ kind: 'unexpected-response' });
  });
});
