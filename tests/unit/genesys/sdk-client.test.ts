import { describe, expect, it } from 'vitest';
import {
  GenesysApiError,
  callGenesys,
  createGenesysApiClient,
  toGenesysApiError,
} from '../../../core/genesys/sdk-client';

describe('createGenesysApiClient', () => {
  it('points login and API calls at an http base URL through the gateway, with live reload off', () => {
    const { apiClient, apiBaseUrl } = createGenesysApiClient(
      { baseUrl: 'http://127.0.0.1:4100' },
      { timeoutMs: 1234 },
    );
    expect(apiBaseUrl).toBe('http://127.0.0.1:4100');
    expect(apiClient.config.getConfUrl('login', 'https://login.mypurecloud.com')).toBe(
      'http://127.0.0.1:4100',
    );
    expect(apiClient.config.getConfUrl('api', 'https://api.mypurecloud.com')).toBe(
      'http://127.0.0.1:4100',
    );
    expect(apiClient.config.live_reload_config).toBe(false);
    expect((apiClient.getHttpClient() as unknown as { timeout: number }).timeout).toBe(1234);
  });

  it('keeps clients independent (never the singleton) and resolves regions by key or domain', () => {
    const first = createGenesysApiClient({ region: 'eu_west_1' });
    const second = createGenesysApiClient({ region: 'mypurecloud.jp' });
    expect(first.apiClient).not.toBe(second.apiClient);
    expect(first.apiBaseUrl).toBe('https://api.mypurecloud.ie');
    expect(second.apiBaseUrl).toBe('https://api.mypurecloud.jp');
    expect(first.apiClient.config.basePath).toBe('https://api.mypurecloud.ie');
  });

  it('explains an unknown region or a malformed base URL', () => {
    expect(() => createGenesysApiClient({ region: 'moon_1' })).toThrow(
      /Unknown Genesys Cloud region "moon_1"/,
    );
    expect(() => createGenesysApiClient({ baseUrl: 'not a url' })).toThrow(/not a valid base URL/);
  });
});

describe('SDK response wrapping', () => {
  it('unwraps an extended response with lower-cased headers and rate-limit values', async () => {
    const result = await callGenesys<{ ok: boolean }>(async () => ({
      status: 200,
      headers: {
        'Inin-Correlation-Id': 'c-1',
        'inin-ratelimit-allowed': '300',
        'inin-ratelimit-count': '7',
        'inin-ratelimit-reset': '41',
      },
      body: { ok: true },
    }));
    expect(result).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'inin-correlation-id': 'c-1' }),
      body: { ok: true },
      correlationId: 'c-1',
      rateLimit: { allowed: 300, count: 7, resetMs: 41_000 },
    });
  });

  it('turns an extended 429 rejection into a retryable error carrying Retry-After and headers', async () => {
    const rejection = {
      status: 429,
      statusText: 'Too Many Requests',
      headers: { 'retry-after': '3', 'inin-correlation-id': 'c-2' },
      body: { message: 'Rate limit exceeded', code: 'too.many.requests', status: 429 },
      error: new Error('x'),
    };
    const error = await callGenesys(() => Promise.reject(rejection)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({
      kind: 'http',
      status: 429,
      code: 'too.many.requests',
      retryAfterSeconds: 3,
      correlationId: 'c-2',
      retryable: true,
    });
  });

  it('classifies network failures, timeouts, login AxiosErrors and SDK parameter errors', () => {
    expect(
      toGenesysApiError({ isAxiosError: true, code: 'ECONNRESET', message: 'socket hang up' }),
    ).toMatchObject({ kind: 'network', status: 0, retryable: true });
    expect(
      toGenesysApiError({
        isAxiosError: true,
        code: 'ECONNABORTED',
        message: 'timeout of 50ms exceeded',
      }),
    ).toMatchObject({ kind: 'timeout', retryable: true });
    expect(
      toGenesysApiError({
        isAxiosError: true,
        response: { status: 401, headers: {}, data: { error: 'invalid_client' } },
      }),
    ).toMatchObject({ kind: 'http', status: 401, code: 'invalid_client', retryable: false });
    expect(toGenesysApiError('Missing the required parameter "body"')).toMatchObject({
      kind: 'invalid-call',
      retryable: false,
    });
    expect(toGenesysApiError({ status: 400, headers: {}, body: undefined })).toMatchObject({
      status: 400,
      code: 'http.400',
      retryable: false,
    });
  });

  it('refuses a bare (non-extended) SDK result with an actionable message', async () => {
    await expect(callGenesys(async () => ({ entities: [] }))).rejects.toThrow(/extended responses/);
  });
});
