import { describe, expect, it } from 'vitest';
import { passedLimits } from '../../../../core/genesys/http/gate-feedback';
import { networkFailureOf } from '../../../../core/genesys/http/network-failure';

// The errors below have the shapes the transports give (tests/integration/fault-budget.test.ts
// gets the common ones from the real fetch and the real SDK against real sockets); these are the
// rarer ones a socket test cannot provoke on demand.

/** fetch's (undici's) rejection: `TypeError('fetch failed')` with the real failure as its cause. */
function fetchFailed(cause: object): Error {
  return new TypeError('fetch failed', { cause });
}

function withCode(message: string, code: string, name = 'Error'): Error {
  return Object.assign(new Error(message), { code, name });
}

describe('networkFailureOf', () => {
  it("reads undici's timeouts by their code, whatever their wording", () => {
    expect(
      networkFailureOf(
        fetchFailed(
          withCode('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT', 'HeadersTimeoutError'),
        ),
      ),
    ).toEqual({ failure: 'timed-out', errorCode: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(
      networkFailureOf(
        fetchFailed(
          withCode('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT', 'ConnectTimeoutError'),
        ),
      ),
    ).toEqual({ failure: 'never-connected', errorCode: 'UND_ERR_CONNECT_TIMEOUT' });
  });

  it("reads the first of an AggregateError's errors (several addresses tried)", () => {
    const refused = withCode('connect ECONNREFUSED ::1:443', 'ECONNREFUSED');
    expect(networkFailureOf(fetchFailed(new AggregateError([refused], '')))).toEqual({
      failure: 'never-connected',
      errorCode: 'ECONNREFUSED',
    });
  });

  it('tells a DOMException by its name, not its numeric code', () => {
    expect(networkFailureOf(new DOMException('The operation timed out', 'TimeoutError'))).toEqual({
      failure: 'timed-out',
      errorCode: 'TimeoutError',
    });
    expect(networkFailureOf(new DOMException('This operation was aborted', 'AbortError'))).toEqual({
      failure: 'cut-off',
      errorCode: 'AbortError',
    });
  });

  it("counts axios's ECONNABORTED as its timeout only when axios made it (no cause)", () => {
    const axiosTimeout = Object.assign(new Error('timeout of 400ms exceeded'), {
      name: 'AxiosError',
      code: 'ECONNABORTED',
      isAxiosError: true,
    });
    expect(networkFailureOf(axiosTimeout).failure).toBe('timed-out');
    const socketAborted = Object.assign(new Error('aborted'), {
      code: 'ECONNABORTED',
      isAxiosError: true,
      cause: withCode('aborted', 'ECONNABORTED'),
    });
    expect(networkFailureOf(socketAborted).failure).toBe('cut-off');
  });

  it('falls back to the text only for an error with no code or name to read', () => {
    expect(networkFailureOf('connect ECONNREFUSED 127.0.0.1:9')).toEqual({
      failure: 'never-connected',
    });
    expect(networkFailureOf(new Error('no answer within 400 ms'))).toEqual({
      failure: 'timed-out',
    });
    expect(networkFailureOf(new Error('socket closed'))).toEqual({ failure: 'cut-off' });
  });
});

describe('passedLimits on a network answer', () => {
  it('goes by the failure read from the error over the wording of the message', () => {
    // A reset whose message happens to mention a timeout still reached Genesys.
    const answer = { kind: 'network' as const, message: 'ETIMEDOUT?', latencyMs: 5 };
    expect(passedLimits({ ...answer, failure: 'cut-off', errorCode: 'ECONNRESET' })).toBe(true);
    expect(passedLimits(answer)).toBe(false);
  });
});
