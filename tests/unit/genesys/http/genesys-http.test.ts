import { afterEach, describe, expect, it, vi } from 'vitest';
import { GenesysCallError, GenesysHttp } from '../../../../core/genesys/http/genesys-http';
import type { GateFeedback, RequestGate } from '../../../../core/genesys/http/request-gate';
import { FakeClock } from '../../engine/fake-clock';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network';

/** Replaces fetch with a script of answers; records what was asked. */
function scriptFetch(answers: Answer[]) {
  const calls: Array<{ url: string; method: string; authorization: string }> = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    calls.push({ url, method: init.method ?? 'GET', authorization: headers.authorization ?? '' });
    const next = answers.shift();
    if (next === undefined) throw new Error('the script ran out of answers');
    if (next === 'network') throw new TypeError('fetch failed');
    return new Response(next.body === undefined ? '' : JSON.stringify(next.body), {
      status: next.status,
      headers: { 'inin-correlation-id': 'corr-1', ...next.headers },
    });
  });
  return calls;
}

function setup(giveUpAfterMs = 60_000) {
  const clock = new FakeClock();
  const invalidated: string[] = [];
  let tokens = 0;
  const http = new GenesysHttp({
    apiUrl: 'https://api.example.test/',
    contactListId: 'list-1',
    tokenSource: {
      getAccessToken: async () => `token-${++tokens}`,
      invalidate: (token: string) => invalidated.push(token),
    },
    clock,
    giveUpAfterMs,
    signal: new AbortController().signal,
    backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
    random: () => 0.5,
  });
  return { clock, http, invalidated };
}

/** Runs a call while moving the fake clock until it settles. */
async function drive<T>(clock: FakeClock, call: Promise<T>): Promise<T> {
  let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  void call.then(
    (value) => (result = { ok: true, value }),
    (error: unknown) => (result = { ok: false, error }),
  );
  for (let step = 0; step < 500 && result === undefined; step += 1)
    await clock.advanceTo(clock.nowMs() + 100);
  if (result === undefined) throw new Error('the call never settled');
  if (!result.ok) throw result.error;
  return result.value;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('GenesysHttp', () => {
  it('waits at least Retry-After on a 429 and retries 5xx and network errors', async () => {
    const { clock, http } = setup();
    const calls = scriptFetch([
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 503 },
      'network',
      { status: 200, body: { url: 'https://upload.test/x' } },
    ]);
    const body = await drive(
      clock,
      http.json('upload-url', 'POST', '/api/v2/outbound/contactlists/uploads', { id: 'list-1' }),
    );
    expect(body).toEqual({ url: 'https://upload.test/x' });
    expect(calls).toHaveLength(4);
    expect(calls[0]?.url).toBe('https://api.example.test/api/v2/outbound/contactlists/uploads');
    expect(clock.nowMs()).toBeGreaterThanOrEqual(3000);
    expect(http.counters).toMatchObject({
      requests: 4,
      ok: 1,
      throttled: 1,
      serverErrors: 1,
      networkErrors: 1,
      retries: 3,
    });
  });

  it('refreshes the token once on a 401, then calls a second 401 an authorisation problem', async () => {
    const { clock, http, invalidated } = setup();
    const calls = scriptFetch([{ status: 401 }, { status: 200, body: { size: 3 } }]);
    await drive(clock, http.json('list', 'GET', '/api/v2/outbound/contactlists/list-1'));
    expect(invalidated).toEqual(['token-1']);
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);

    scriptFetch([{ status: 401 }, { status: 401 }]);
    await expect(drive(clock, http.json('list', 'GET', '/x'))).rejects.toThrow(
      /freshly issued token/,
    );
  });

  it('names the missing permission on a 403 and the list on a 404, with the correlation id kept', async () => {
    const { clock, http } = setup();
    scriptFetch([
      { status: 403, body: { message: 'Missing permission', code: 'missing.permissions' } },
    ]);
    const error = await drive(
      clock,
      http.json('upload-url', 'POST', '/api/v2/outbound/contactlists/uploads', {}),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenesysCallError);
    expect((error as GenesysCallError).detail).toMatchObject({
      status: 403,
      code: 'missing.permissions',
      correlationId: 'corr-1',
    });
    expect((error as GenesysCallError).message).toMatch(
      /outbound:contactList:upload and outbound:contactList:edit/,
    );

    scriptFetch([{ status: 403 }]);
    await expect(drive(clock, http.json('list', 'GET', '/l'))).rejects.toThrow(
      /outbound:contactList:view/,
    );
    scriptFetch([{ status: 404, body: { message: 'not found' } }]);
    await expect(drive(clock, http.json('list', 'GET', '/l'))).rejects.toThrow(
      /Contact list list-1 was not found/,
    );
    scriptFetch([{ status: 404 }]);
    expect(await drive(clock, http.json('status', 'GET', '/s', undefined, true))).toBeUndefined();
  });

  it('gives up on a retryable error only after the time budget, with the last error', async () => {
    const { clock, http } = setup(5_000);
    scriptFetch(
      Array.from({ length: 200 }, () => ({ status: 502, body: { message: 'bad gateway' } })),
    );
    const error = await drive(clock, http.json('status', 'GET', '/s')).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Gave up after retrying for 5 s; last error: bad gateway/,
    );
    expect(clock.nowMs()).toBeGreaterThan(5_000);
    expect(http.counters.serverErrors).toBeGreaterThan(5);
  });

  it('retries a token request that failed on the network, stops on refused credentials', async () => {
    const clock = new FakeClock();
    const failures: Array<Error & { kind?: string }> = [
      Object.assign(new Error('connect ECONNREFUSED'), { kind: 'network' }),
    ];
    const http = new GenesysHttp({
      apiUrl: 'https://api.example.test',
      contactListId: 'list-1',
      tokenSource: {
        getAccessToken: async () => {
          const failure = failures.shift();
          if (failure) throw failure;
          return 'token';
        },
        invalidate: () => undefined,
      },
      clock,
      giveUpAfterMs: 60_000,
      signal: new AbortController().signal,
      random: () => 0.5,
    });
    scriptFetch([{ status: 200, body: { ok: true } }]);
    expect(await drive(clock, http.json('list', 'GET', '/l'))).toEqual({ ok: true });
    expect(http.counters.networkErrors).toBe(1);

    failures.push(
      Object.assign(new Error('The client id or secret was refused'), { kind: 'bad-credentials' }),
    );
    await expect(drive(clock, http.json('list', 'GET', '/l'))).rejects.toThrow(
      /secret was refused/,
    );
  });

  it("tells the org's limiter what each answer taught, a 5xx as budget spent and no pacing signal", async () => {
    const clock = new FakeClock();
    const lessons: GateFeedback[] = [];
    let sequence = 0;
    const gate: RequestGate = {
      acquire: async () => ({ sequence: sequence++, sentAtMs: clock.nowMs() }),
      complete: (_permit, feedback) => lessons.push(feedback),
    };
    const http = new GenesysHttp({
      apiUrl: 'https://api.example.test/',
      contactListId: 'list-1',
      tokenSource: { getAccessToken: async () => 'token', invalidate: () => undefined },
      clock,
      gate,
      giveUpAfterMs: 60_000,
      signal: new AbortController().signal,
      backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
      random: () => 0.5,
    });
    scriptFetch([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503 },
      { status: 200, body: { id: 'list-1' } },
    ]);
    await drive(clock, http.json('list', 'GET', '/l'));
    expect(lessons.map(({ signal, passedLimits }) => ({ signal, passedLimits }))).toEqual([
      { signal: 'throttled', passedLimits: false },
      { signal: 'other', passedLimits: true },
      { signal: 'ok', passedLimits: true },
    ]);
    expect(lessons[0]?.retryAfterMs).toBe(1000);
  });
});
