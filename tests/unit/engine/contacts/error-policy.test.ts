import { describe, expect, it } from 'vitest';
import { classify, parseErrorBody } from '../../../../core/engine/contacts/error-policy';
import type { TransportResult } from '../../../../core/engine/contacts/transport';

function response(
  status: number,
  body: unknown = {},
  headers: Record<string, string> = {},
): TransportResult {
  return {
    kind: 'response',
    status,
    headers: { 'inin-correlation-id': 'corr-1', ...headers },
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    latencyMs: 5,
  };
}
const context = { contactListId: 'list-9' };

describe('classify', () => {
  it('maps statuses to verdicts', () => {
    const verdicts = [200, 429, 500, 502, 503, 504, 400, 413, 422, 401, 403, 404].map(
      (status) => classify(response(status), context).verdict,
    );
    expect(verdicts).toEqual([
      'ok',
      'throttled',
      'retryable',
      'retryable',
      'retryable',
      'retryable',
      'row-problem',
      'row-problem',
      'row-problem',
      'unauthorized',
      'fatal',
      'fatal',
    ]);
    expect(
      classify({ kind: 'network', message: 'ECONNRESET', latencyMs: 1 }, context),
    ).toMatchObject({
      verdict: 'retryable',
      detail: { status: 0, reason: 'Network error: ECONNRESET' },
    });
  });

  it('keeps status, code, message and correlation id', () => {
    const result = classify(
      response(400, {
        message: 'Value too long for column Phone',
        code: 'bad.request',
        status: 400,
      }),
      context,
    );
    expect(result.detail).toEqual({
      status: 400,
      code: 'bad.request',
      reason: 'Value too long for column Phone',
      correlationId: 'corr-1',
    });
  });

  it('reads Retry-After on a 429', () => {
    const result = classify(
      response(429, { code: 'too.many.requests' }, { 'retry-after': '3' }),
      context,
    );
    expect(result.retryAfterMs).toBe(3000);
  });

  it('explains 403 and 404 to a consultant', () => {
    expect(classify(response(404, { message: 'not found' }), context).detail.reason).toMatch(
      /list-9 was not found/,
    );
    expect(
      classify(response(403, { message: 'Missing permission' }), context).detail.reason,
    ).toMatch(/outbound:contact:add/);
  });

  it('tolerates empty and non-JSON bodies', () => {
    expect(parseErrorBody('')).toEqual({});
    expect(parseErrorBody('<html>Bad gateway</html>')).toEqual({
      message: '<html>Bad gateway</html>',
    });
    expect(classify(response(502, ''), context).detail.reason).toBe('HTTP 502');
  });
});
