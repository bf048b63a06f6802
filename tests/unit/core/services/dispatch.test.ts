import { describe, expect, it } from 'vitest';
import { ContractError, type Services } from '../../../../core/contract';
import { createServices, dispatch } from '../../../../core/services';

const services = createServices({ version: '9.9.9', dataFolder: '/data', shell: 'web-host' });

describe('dispatch', () => {
  it('answers a valid call with the service value', async () => {
    const result = await dispatch(services, 'app:info', {});
    expect(result).toMatchObject({
      ok: true,
      value: { name: 'Sluice', version: '9.9.9', dataFolder: '/data', shell: 'web-host' },
    });
  });

  it('refuses an unknown channel by name', async () => {
    const result = await dispatch(services, 'secrets:dump', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: 'Unknown channel: secrets:dump' },
    });
  });

  it('refuses channels inherited from Object.prototype', async () => {
    const result = await dispatch(services, 'constructor', {});
    expect(result.ok).toBe(false);
  });

  it('refuses a payload that fails the schema, naming the channel', async () => {
    const result = await dispatch(services, 'app:info', { unexpected: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-request');
      expect(result.error.message).toContain('app:info');
    }
  });

  it('keeps a ContractError code and turns any other throw into a typed internal error', async () => {
    const failing = {
      ...services,
      'orgs:list': async () => {
        throw new ContractError('not-found', 'No org named Acme');
      },
      'app:info': async () => {
        throw new Error('disk full');
      },
    } satisfies Services;
    expect(await dispatch(failing, 'orgs:list', {})).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No org named Acme' },
    });
    expect(await dispatch(failing, 'app:info', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'app:info failed: disk full' },
    });
  });
});
