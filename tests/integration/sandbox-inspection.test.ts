import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGenesys, GenesysApiError } from '../../core/genesys/sdk-client';
import {
  POST_CONTACTS_ROUTE,
  startSandbox,
  type ContactWriteRecord,
  type RequestLogEntry,
  type Sandbox,
} from '../../core/sandbox';
import { signedInClient } from '../support/sandbox-sdk';

/**
 * The inspection API tests assert on (per-contact write counts and flags, queue state, the
 * request log and its reset, scripted answers), over HTTP and in-process, with the real SDK as
 * the client that writes.
 */
let sandbox: Sandbox;
let listId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo', overrides: { faults: { commitThenDrop: 0 } } });
  const org = sandbox.orgs[0];
  if (org === undefined) throw new Error('no org');
  listId = sandbox.inspect.createContactList(org.id, {
    name: 'Inspection',
    columnNames: ['Id', 'Phone'],
    phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
  }).id;
});
afterAll(() => sandbox.stop());

const inspect = async <T>(path: string, init?: RequestInit): Promise<T> => {
  const response = await fetch(`${sandbox.url}/__sandbox/${path}`, init);
  expect(response.ok).toBe(true);
  return (response.status === 204 ? undefined : await response.json()) as T;
};

const contacts = (ids: string[]) =>
  ids.map((id) => ({ contactListId: listId, id, data: { Id: id, Phone: '+13175550100' } }));

describe('sandbox inspection over HTTP', () => {
  it('counts writes per contact and keeps the flags of the last POST', async () => {
    const sdk = await signedInClient(sandbox);
    await callGenesys(() =>
      sdk.outbound.postOutboundContactlistContacts(listId, contacts(['a', 'b']), {
        doNotQueue: true,
      }),
    );
    await callGenesys(() =>
      sdk.outbound.postOutboundContactlistContacts(listId, contacts(['a']), { priority: true }),
    );
    const writes = await inspect<ContactWriteRecord[]>(`contacts/${listId}/writes`);
    expect(writes).toEqual([
      {
        id: 'a',
        writes: 2,
        lastFlags: { doNotQueue: false, priority: true, clearSystemData: false },
        queueState: 'queued',
        queuedWithPriority: true,
        dialAttempts: 0,
      },
      {
        id: 'b',
        writes: 1,
        lastFlags: { doNotQueue: true, priority: false, clearSystemData: false },
        queueState: 'queued',
        queuedWithPriority: false,
        dialAttempts: 0,
      },
    ]);
    expect(sandbox.inspect.contactWrites(listId)).toEqual(writes);
  });

  it('dials contacts like a campaign: given ids, or every queued one', async () => {
    const one = await inspect<{ dialed: number }>(`contacts/${listId}/dial`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ['a'] }),
    });
    expect(one).toEqual({ dialed: 1 });
    expect(await inspect(`contacts/${listId}/dial`, { method: 'POST' })).toEqual({ dialed: 1 });
    expect(await inspect(`contacts/${listId}/dial`, { method: 'POST' })).toEqual({ dialed: 0 });
    const states = sandbox.inspect.contactWrites(listId).map((record) => record.queueState);
    expect(states).toEqual(['dialed', 'dialed']);
    const [stored] = sandbox.inspect.contacts(listId);
    expect(Object.keys(stored?.callRecords ?? {})).toEqual(['Phone']);
  });

  it('logs method, path, query, status, client, correlation id and body size; DELETE empties it', async () => {
    const sdk = await signedInClient(sandbox);
    await inspect('requests', { method: 'DELETE' });
    expect(await inspect<RequestLogEntry[]>('requests')).toEqual([]);
    const answer = await callGenesys(() =>
      sdk.outbound.postOutboundContactlistContacts(listId, contacts(['c']), {
        doNotQueue: true,
        priority: false,
      }),
    );
    const log = await inspect<RequestLogEntry[]>('requests');
    expect(log).toHaveLength(1);
    expect(log[0]).toEqual({
      atMs: expect.any(Number),
      method: 'POST',
      path: `/api/v2/outbound/contactlists/${listId}/contacts`,
      query: { doNotQueue: 'true', priority: 'false' },
      bodyBytes: expect.any(Number),
      status: 200,
      clientId: sandbox.orgs[0]?.clientId,
      orgId: sandbox.orgs[0]?.id,
      contactCount: 1,
      correlationId: answer.correlationId,
    });
    expect(log[0]?.bodyBytes).toBe(JSON.stringify(contacts(['c'])).length);
  });

  it('answers scripted errors for a route, as many times as asked, then handles requests again', async () => {
    const sdk = await signedInClient(sandbox);
    await inspect('scripted-answers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          route: POST_CONTACTS_ROUTE,
          status: 409,
          code: 'resource.conflict',
          message: 'Busy.',
          count: 2,
        },
      ]),
    });
    const send = () =>
      callGenesys(() => sdk.outbound.postOutboundContactlistContacts(listId, contacts(['d'])));
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await send().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GenesysApiError);
      expect(error).toMatchObject({ status: 409, code: 'resource.conflict', message: 'Busy.' });
    }
    expect((await send()).status).toBe(200);
    const record = sandbox.inspect.contactWrites(listId).find((entry) => entry.id === 'd');
    expect(record?.writes).toBe(1);
    const bad = await fetch(`${sandbox.url}/__sandbox/scripted-answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ route: POST_CONTACTS_ROUTE, status: 409 }]),
    });
    expect(bad.status).toBe(400);
  });

  it('answers 409 to contact writes while a file import writes into the list', async () => {
    sandbox.inspect.reset('demo', { importRowsPerSecond: 1 });
    const sdk = await signedInClient(sandbox);
    const webinar = sandbox.orgs[0]?.contactListIds[2] ?? '';
    const upload = await callGenesys<{ url: string }>(() =>
      sdk.outbound.postOutboundContactlistsUploads({ contentType: 'text/csv', id: webinar }),
    );
    await fetch(upload.body.url, { method: 'PUT', body: 'Email\na@x.com\nb@x.com\nc@x.com\n' });
    const error = await callGenesys(() =>
      sdk.outbound.postOutboundContactlistContacts(webinar, [
        { contactListId: webinar, id: 'z', data: { Email: 'z@x.com' } },
      ]),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 409, code: 'resource.conflict' });
  });
});

describe('secret rotation', () => {
  it('refuses the old secret and the old token once an org secret is rotated over HTTP', async () => {
    sandbox.inspect.reset('demo');
    const org = sandbox.orgs[0];
    if (org === undefined) throw new Error('no org');
    const sdk = await signedInClient(sandbox);
    const rotated = await fetch(`${sandbox.url}/__sandbox/orgs/${org.id}/rotate-secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientSecret: 'rotated-secret' }),
    });
    expect(rotated.status).toBe(204);
    const stale = await callGenesys(() => sdk.organization.getOrganizationsMe()).catch(
      (caught: unknown) => caught,
    );
    expect(stale).toMatchObject({ status: 401, code: 'bad.credentials' });
    expect(sandbox.orgs[0]?.clientSecret).toBe('rotated-secret');
    const renewed = await signedInClient(sandbox);
    expect((await callGenesys(() => renewed.organization.getOrganizationsMe())).status).toBe(200);
    const oldLogin = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${org.clientId}:${org.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(oldLogin.status).toBe(401);
  });
});
