import { describe, expect, it } from 'vitest';
import { REDACTED, scrubSecrets, scrubText } from '../../../core/log/redact';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQiLCJleHAiOjE3MDB9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('scrubSecrets', () => {
  it('masks the values of secret-named keys at any depth, whatever their case or separators', () => {
    const scrubbed = scrubSecrets({
      org: 'Acme',
      clientSecret: 's3cr3t',
      nested: { headers: { Authorization: 'Basic abc=', 'x-other': 'ok' }, access_token: 'tok' },
      list: [{ refresh_token: 'r' }, { password: 'p' }],
      code: 'too.many.requests',
    });
    expect(scrubbed).toEqual({
      org: 'Acme',
      clientSecret: REDACTED,
      nested: { headers: { Authorization: REDACTED, 'x-other': 'ok' }, access_token: REDACTED },
      list: [{ refresh_token: REDACTED }, { password: REDACTED }],
      code: 'too.many.requests',
    });
  });

  it('masks credential-looking text inside ordinary strings', () => {
    const text = scrubText(
      `sent Bearer abc.DEF-123 then ${JWT} to https://x/cb?code=AUTHCODE&state=1 with client_secret=hunter2&grant_type=x`,
    );
    expect(text).not.toMatch(/abc\.DEF-123|AUTHCODE|hunter2|eyJ/);
    expect(text).toContain(`Bearer ${REDACTED}`);
    expect(text).toContain(`code=${REDACTED}&state=1`);
    expect(text).toContain('grant_type=x');
  });

  it('turns errors into plain objects without their HTTP config, scrubbing message and stack', () => {
    const error = Object.assign(new Error(`401 for token ${JWT}`), {
      status: 401,
      config: { headers: { Authorization: 'Bearer zzz' } },
    });
    const scrubbed = scrubSecrets(error) as Record<string, unknown>;
    expect(scrubbed).toMatchObject({ type: 'Error', status: 401 });
    expect(scrubbed.config).toBeUndefined();
    expect(JSON.stringify(scrubbed)).not.toMatch(/eyJ|zzz/);
  });

  it('survives cycles', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = value;
    expect(scrubSecrets(value)).toEqual({ name: 'loop', self: '[circular]' });
  });
});
