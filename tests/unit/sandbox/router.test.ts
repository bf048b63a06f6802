import { describe, expect, it } from 'vitest';
import { Router } from '../../../core/sandbox/router';

describe('sandbox router', () => {
  const handler = () => ({ status: 200 });
  const router = new Router()
    .add('GET', '/api/v2/outbound/contactlists/{id}', handler)
    .add('POST', '/api/v2/outbound/contactlists/uploads', handler)
    .add('GET', '/api/v2/outbound/contactlists/{id}/contacts/{contactId}', handler);

  it('prefers literal segments over parameters', () => {
    expect(router.match('POST', '/api/v2/outbound/contactlists/uploads')).toMatchObject({
      template: 'POST /api/v2/outbound/contactlists/uploads',
    });
    expect(router.match('GET', '/api/v2/outbound/contactlists/uploads')).toMatchObject({
      params: { id: 'uploads' },
    });
  });

  it('decodes parameters and tells a wrong method from an unknown path', () => {
    expect(router.match('GET', '/api/v2/outbound/contactlists/L1/contacts/a%20b')).toMatchObject({
      params: { id: 'L1', contactId: 'a b' },
    });
    expect(router.match('DELETE', '/api/v2/outbound/contactlists/L1')).toEqual({
      methodMismatch: true,
    });
    expect(router.match('GET', '/api/v2/nothing')).toEqual({ methodMismatch: false });
  });
});
