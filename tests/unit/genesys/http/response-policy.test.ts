import { describe, expect, it } from 'vitest';
import {
  classifyAnswer,
  isCapacityProblem,
  parseErrorBody,
  type HttpAnswer,
} from '../../../../core/genesys/http/response-policy';

function response(
  status: number,
  body: unknown = {},
  headers: Record<string, string> = {},
): HttpAnswer {
  return {
    kind: 'response',
    status,
    headers: { 'inin-correlation-id': 'corr-1', ...headers },
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    latencyMs: 5,
  };
}
const classify = (answer: HttpAnswer) => classifyAnswer(answer, 'contacts', 'list-9');

describe('classify', () => {
  it('maps statuses to verdicts', () => {
    const verdicts = [200, 429, 500, 502, 503, 504, 400, 413, 422, 401, 403, 404].map(
      (status) => classify(response(status)).verdict,
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
    expect(classify({ kind: 'network', message: 'ECONNRESET', latencyMs: 1 })).toMatchObject({
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
    );
    expect(result.detail).toEqual({
      status: 400,
      code: 'bad.request',
      reason: 'Value too long for column Phone',
      correlationId: 'corr-1',
    });
  });

  it('reads Retry-After on a 429', () => {
    const result = classify(response(429, { code: 'too.many.requests' }, { 'retry-after': '3' }));
    expect(result.retryAfterMs).toBe(3000);
  });

  it('explains 403 and 404 to a consultant', () => {
    expect(classify(response(404, { message: 'not found' })).detail.reason).toMatch(
      /list-9 was not found/,
    );
    expect(classify(response(403, { message: 'Missing permission' })).detail.reason).toMatch(
      /outbound:contact:add/,
    );
  });

  it('tolerates empty and non-JSON bodies', () => {
    expect(parseErrorBody('')).toEqual({});
    expect(parseErrorBody('<html>Bad gateway</html>')).toEqual({
      message: '<html>Bad gateway</html>',
    });
    expect(classify(response(502, '')).detail.reason).toBe('HTTP 502');
  });

  it('takes the wait from the message when a 429 has no Retry-After header', () => {
    const result = classify(
      response(429, {
        message: 'Rate limit exceeded the maximum. Retry the request in [7] seconds',
        code: 'too.many.requests.retry.after',
      }),
    );
    expect(result).toMatchObject({ verdict: 'throttled', retryAfterMs: 7000 });
    // the header still wins when both are there
    expect(
      classify(
        response(429, { message: 'Retry the request in [7] seconds' }, { 'retry-after': '2' }),
      ).retryAfterMs,
    ).toBe(2000);
  });

  it('never bisects a 409 and stops on a full list or org', () => {
    expect(
      classify(response(409, { message: 'conflict', code: 'resource.conflict' })).verdict,
    ).toBe('request-problem');
    const full = classify(
      response(400, {
        message: 'The contact list would exceed 1000000 contacts.',
        code: 'bad.request',
      }),
    );
    expect(full.verdict).toBe('fatal');
    expect(full.detail.reason).toMatch(/no room for more contacts/);
    expect(
      isCapacityProblem({ message: 'The org would exceed 5000000 contacts.', code: 'bad.request' }),
    ).toBe(true);
    expect(isCapacityProblem({ message: 'Phone is not a valid number', code: 'bad.request' })).toBe(
      false,
    );
  });

  it('words 403 advice for the call that drew it', () => {
    const forImport = classifyAnswer(response(403, { message: 'no' }), 'upload-url', 'l1');
    expect(forImport.detail.reason).toMatch(/outbound:contactList:upload/);
    const forRead = classifyAnswer(response(403, { message: 'no' }), 'list', 'l1');
    expect(forRead.detail.reason).toMatch(/permission outbound:contactList:view,/);
  });
});
