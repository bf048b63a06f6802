import { describe, expect, it } from 'vitest';
import { checkUpgrade } from '../../../host/server';

const origin = 'http://127.0.0.1:4000';
const token = 'a'.repeat(43);

describe('checkUpgrade', () => {
  it('accepts the host page origin with the right token', () => {
    expect(checkUpgrade(`/api/socket?token=${token}`, origin, origin, token)).toEqual({ ok: true });
  });

  it('refuses a missing token with 401 and says where the right address is', () => {
    const verdict = checkUpgrade('/api/socket', origin, origin, token);
    expect(verdict).toMatchObject({ ok: false, status: 401 });
    if (!verdict.ok) expect(verdict.message).toMatch(/missing access token/);
  });

  it('refuses a wrong token, including one of the same length', () => {
    expect(checkUpgrade('/api/socket?token=short', origin, origin, token)).toMatchObject({
      status: 401,
    });
    const sameLength = 'b'.repeat(43);
    const verdict = checkUpgrade(`/api/socket?token=${sameLength}`, origin, origin, token);
    expect(verdict).toMatchObject({ ok: false, status: 401 });
    if (!verdict.ok) expect(verdict.message).toMatch(/wrong access token/);
  });

  it('refuses another origin even with the right token', () => {
    for (const other of ['http://evil.example', 'http://localhost:4000', undefined]) {
      expect(checkUpgrade(`/api/socket?token=${token}`, other, origin, token)).toMatchObject({
        ok: false,
        status: 403,
      });
    }
  });

  it('refuses other paths', () => {
    expect(checkUpgrade(`/other?token=${token}`, origin, origin, token)).toMatchObject({
      status: 404,
    });
  });
});
