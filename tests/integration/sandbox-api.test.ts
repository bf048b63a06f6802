import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callGenesys,
  type GenesysApiClients,
  GenesysApiError,
} from '../../core/genesys/sdk-client';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { signedInClient } from '../support/sandbox-sdk';

let sandbox: Sandbox;
let sdk: GenesysApiClients & { accessToken: string };
let springId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo' });
  sdk = await signedInClient(sandbox);
  springId = sandbox.orgs[0]?.contactListIds[0] ?? '';
});
afterAll(() => sandbox.stop());

async function failure(call: () => Promise<unknown>): Promise<GenesysApiError> {
  const error = await callGenesys(call).catch((caught: unknown) => caught);
  if (!(error instanceof GenesysApiError))
    throw new Error(`expected a GenesysApiError, got ${String(error)}`);
  return error;
}

describe('sandbox routes through the real SDK', () => {
  it('answers organizations/me and the limits namespaces', async () => {
    const me = await callGenesys<{ id: string; name: string }>(() =>
      sdk.organization.getOrganizationsMe(),
    );
    expect(me.body).toMatchObject({ id: sandbox.orgs[0]?.id, name: 'Sandbox' });
    expect(me.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const limits = await callGenesys<{ entities: { key: string; value: number }[] }>(() =>
      sdk.organization.getOrganizationsLimitsNamespace('platform.api'),
    );
    expect(limits.body.entities).toContainEqual(
      expect.objectContaining({ key: 'client.credentials.token.rate.per.minute', value: 300 }),
    );
    const outbound = await callGenesys<{ entities: { key: string; value: number }[] }>(() =>
      sdk.organization.getOrganizationsLimitsNamespace('outbound'),
    );
    expect(outbound.body.entities).toContainEqual(
      expect.objectContaining({ key: 'contacts.per.contact.list.max', value: 1_000_000 }),
    );
    const dashed = await failure(() =>
      sdk.organization.getOrganizationsLimitsNamespace('platform-api'),
    );
    expect(dashed).toMatchObject({ status: 404, code: 'not.found' });
  });

  it('pages contact lists with name filter, sizes and page counts', async () => {
    const page = await callGenesys<{
      entities: { name: string; size?: number }[];
      total: number;
      pageCount: number;
      pageNumber: number;
    }>(() =>
      sdk.outbound.getOutboundContactlists({
        pageSize: 2,
        pageNumber: 2,
        includeSize: true,
        sortOrder: 'ascending',
      }),
    );
    expect(page.body).toMatchObject({ total: 3, pageCount: 2, pageNumber: 2 });
    expect(page.body.entities).toEqual([
      expect.objectContaining({ name: 'Webinar follow-up', size: 0 }),
    ]);
    const filtered = await callGenesys<{ entities: { name: string }[] }>(() =>
      sdk.outbound.getOutboundContactlists({ name: 'spring' }),
    );
    expect(filtered.body.entities.map((list) => list.name)).toEqual(['Spring renewals']);
    const tooBig = await failure(() => sdk.outbound.getOutboundContactlists({ pageSize: 101 }));
    expect(tooBig).toMatchObject({ status: 400, code: 'invalid.value' });
  });

  it('creates, reads, updates (version-checked) and deletes a list', async () => {
    const created = await callGenesys<{ id: string; version: number }>(() =>
      sdk.outbound.postOutboundContactlists({
        name: 'Temp',
        columnNames: ['Phone', 'Name'],
        phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
      }),
    );
    const id = created.body.id;
    const read = await callGenesys<{ name: string; columnNames: string[] }>(() =>
      sdk.outbound.getOutboundContactlist(id),
    );
    expect(read.body).toMatchObject({ name: 'Temp', columnNames: ['Phone', 'Name'] });
    const updated = await callGenesys<{ version: number; columnNames: string[] }>(() =>
      sdk.outbound.putOutboundContactlist(id, {
        ...read.body,
        columnNames: ['Phone', 'Name', 'Notes'],
        version: 1,
      }),
    );
    expect(updated.body).toMatchObject({ version: 2, columnNames: ['Phone', 'Name', 'Notes'] });
    const stale = await failure(() =>
      sdk.outbound.putOutboundContactlist(id, { ...read.body, version: 1 }),
    );
    expect(stale.status).toBe(409);
    const duplicate = await failure(() =>
      sdk.outbound.postOutboundContactlists({
        name: 'temp',
        columnNames: ['Phone'],
        phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
      }),
    );
    expect(duplicate.status).toBe(400);
    await callGenesys(() => sdk.outbound.deleteOutboundContactlist(id));
    expect((await failure(() => sdk.outbound.getOutboundContactlist(id))).status).toBe(404);
  });

  it('upserts by id: a second POST of the same ids updates, never duplicates', async () => {
    const batch = (suffix: string) =>
      ['u1', 'u2', 'u3'].map((id) => ({
        id,
        contactListId: springId,
        data: { FirstName: `${id}-${suffix}`, HomePhone: '+13175550199' },
      }));
    const first = await callGenesys<{ id: string }[]>(() =>
      sdk.outbound.postOutboundContactlistContacts(springId, batch('a')),
    );
    expect(first.body.map((contact) => contact.id)).toEqual(['u1', 'u2', 'u3']);
    const before = sandbox.inspect.contacts(springId).length;
    const storedBefore = sandbox.inspect.counters().contactsStored;
    await callGenesys(() =>
      sdk.outbound.postOutboundContactlistContacts(springId, batch('b'), {
        clearSystemData: true,
        priority: true,
        doNotQueue: false,
      }),
    );
    const stored = sandbox.inspect.contacts(springId);
    expect(stored).toHaveLength(before);
    expect(sandbox.inspect.counters().contactsStored).toBe(storedBefore);
    expect(
      stored
        .filter((contact) => contact.id.startsWith('u'))
        .map((contact) => contact.data.FirstName),
    ).toEqual(['u1-b', 'u2-b', 'u3-b']);
  });

  it('gives server ids to contacts without one (so a blind retry duplicates them)', async () => {
    const contact = { contactListId: springId, data: { FirstName: 'NoId' } };
    const first = await callGenesys<{ id: string }[]>(() =>
      sdk.outbound.postOutboundContactlistContacts(springId, [contact]),
    );
    const second = await callGenesys<{ id: string }[]>(() =>
      sdk.outbound.postOutboundContactlistContacts(springId, [contact]),
    );
    expect(first.body[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.body[0]?.id).not.toBe(first.body[0]?.id);
    expect(
      sandbox.inspect.contacts(springId).filter((stored) => stored.data.FirstName === 'NoId'),
    ).toHaveLength(2);
  });

  it('gets contacts in bulk and one by one, deletes by ids, and clears the list', async () => {
    const bulk = await callGenesys<{ id: string }[]>(() =>
      sdk.outbound.postOutboundContactlistContactsBulk(springId, ['u1', 'u2', 'missing']),
    );
    expect(bulk.body.map((contact) => contact.id)).toEqual(['u1', 'u2']);
    const one = await callGenesys<{ data: Record<string, string> }>(() =>
      sdk.outbound.getOutboundContactlistContact(springId, 'u3'),
    );
    expect(one.body.data.FirstName).toBe('u3-b');
    await callGenesys(() => sdk.outbound.deleteOutboundContactlistContacts(springId, ['u1', 'u2']));
    expect(sandbox.inspect.contacts(springId).map((contact) => contact.id)).not.toContain('u1');
    expect(
      (await failure(() => sdk.outbound.getOutboundContactlistContact(springId, 'u1'))).status,
    ).toBe(404);
    const replaced = await callGenesys<{ id: string; data: Record<string, string> }>(() =>
      sdk.outbound.putOutboundContactlistContact(springId, 'u3', {
        contactListId: springId,
        data: { FirstName: 'Replaced' },
      }),
    );
    expect(replaced.body).toMatchObject({ id: 'u3', data: { FirstName: 'Replaced' } });
    expect(
      (
        await failure(() =>
          sdk.outbound.putOutboundContactlistContact(springId, 'ghost', {
            contactListId: springId,
            data: {},
          }),
        )
      ).status,
    ).toBe(404);
    await callGenesys(() => sdk.outbound.postOutboundContactlistClear(springId));
    expect(sandbox.inspect.contacts(springId)).toHaveLength(0);
  });

  it('rejects whole requests that break the list rules, storing nothing', async () => {
    const before = sandbox.inspect.counters().contactsStored;
    const tooLong = await failure(() =>
      sdk.outbound.postOutboundContactlistContacts(springId, [
        { contactListId: springId, data: { FirstName: 'x'.repeat(513) } },
      ]),
    );
    expect(tooLong).toMatchObject({
      status: 400,
      message: expect.stringMatching(/513 characters/),
    });
    const unknownColumn = await failure(() =>
      sdk.outbound.postOutboundContactlistContacts(springId, [
        { contactListId: springId, data: { Shoe: '42' } },
      ]),
    );
    expect(unknownColumn.message).toMatch(/'Shoe'/);
    const tooMany = Array.from({ length: 1001 }, (_, index) => ({
      id: `m${index}`,
      contactListId: springId,
      data: { FirstName: 'x' },
    }));
    expect(
      (await failure(() => sdk.outbound.postOutboundContactlistContacts(springId, tooMany)))
        .message,
    ).toMatch(/at most 1000/);
    expect(sandbox.inspect.counters().contactsStored).toBe(before);
  });

  it('answers 413 past request.bytes.max', async () => {
    const big = Array.from({ length: 1000 }, (_, index) => ({
      id: `b${index}`,
      contactListId: springId,
      data: { FirstName: 'y'.repeat(510) },
    }));
    const error = await failure(() => sdk.outbound.postOutboundContactlistContacts(springId, big));
    expect(error).toMatchObject({ status: 413, code: 'request.entity.too.large' });
  });

  it('runs the CSV import flow: presigned URL, PUT, importstatus IN_PROGRESS then 100 percent with no state', async () => {
    sandbox.inspect.reset('demo', { importRowsPerSecond: 2000 });
    const client = await signedInClient(sandbox);
    const listId = sandbox.inspect.orgs()[0]?.contactListIds[2] ?? '';
    const upload = await callGenesys<{ url: string; headers: Record<string, string> }>(() =>
      client.outbound.postOutboundContactlistsUploads({
        contentType: 'text/csv',
        id: listId,
        contactIdName: 'Email',
      }),
    );
    const rows = Array.from(
      { length: 500 },
      (_, index) =>
        `p${index}@example.com,P${index},Acme,+13175550${String(index).padStart(3, '0')}`,
    );
    const put = await fetch(upload.body.url, {
      method: 'PUT',
      headers: upload.body.headers,
      body: `Email,FirstName,Company,WorkPhone\n${rows.join('\n')}\n`,
    });
    expect(put.status).toBe(200);
    const states: (string | undefined)[] = [];
    let finished: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const status = await callGenesys<{
        state?: string;
        completedRecords: number;
        totalRecords: number;
        percentComplete: number;
      }>(() => client.outbound.getOutboundContactlistImportstatus(listId));
      states.push(status.body.state);
      if (status.body.percentComplete === 100) {
        finished = status.body;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(finished).toEqual({ totalRecords: 500, completedRecords: 500, percentComplete: 100 });
    expect(new Set(states)).toEqual(new Set(['IN_PROGRESS', undefined]));
    expect(sandbox.inspect.contacts(listId).map((contact) => contact.id)).toContain(
      'p499@example.com',
    );
    expect(sandbox.inspect.contacts(listId)).toHaveLength(500);
    const reused = await fetch(upload.body.url, { method: 'PUT', body: 'Email\n' });
    expect(reused.status).toBe(403);
  });
});

describe('malformed requests get Genesys-shaped errors, never a crash', () => {
  /** A request as sent, with the SDK's token unless `token` is false. */
  type RawInit = RequestInit & { token?: boolean };
  const raw = async (path: string, init: RawInit = {}) => {
    const token = sdk.accessToken;
    const headers = new Headers(init.headers);
    if (init.token !== false) headers.set('authorization', `Bearer ${token}`);
    const response = await fetch(`${sandbox.url}${path}`, { ...init, headers });
    return {
      status: response.status,
      correlation: response.headers.get('inin-correlation-id'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('bad JSON, wrong content type, missing auth, bad token, unknown list, unknown route', async () => {
    sandbox.inspect.reset('demo');
    sdk = await signedInClient(sandbox);
    const listId = sandbox.inspect.orgs()[0]?.contactListIds[0] ?? '';
    const contacts = `/api/v2/outbound/contactlists/${listId}/contacts`;
    const json = { 'content-type': 'application/json' };
    const cases: [path: string, init: RawInit, status: number, code: string][] = [
      [contacts, { method: 'POST', headers: json, body: '[{"id": ' }, 400, 'bad.request'],
      [
        contacts,
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '[]' },
        415,
        'unsupported.media.type',
      ],
      [
        contacts,
        { method: 'POST', token: false, headers: json, body: '[]' },
        401,
        'authentication.required',
      ],
      [
        contacts,
        { method: 'POST', token: false, headers: { authorization: 'Bearer nope' } },
        401,
        'bad.credentials',
      ],
      ['/api/v2/outbound/contactlists/no-such-list', {}, 404, 'not.found'],
      ['/api/v2/nowhere', {}, 404, 'not.found'],
      ['/api/v2/outbound/contactlists', { method: 'PATCH' }, 405, 'method.not.allowed'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await raw(path, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(status);
      expect(response.body).toMatchObject({
        status,
        code,
        message: expect.any(String),
        contextId: response.correlation,
      });
    }
    const me = await callGenesys(() => sdk.organization.getOrganizationsMe());
    expect(me.status).toBe(200);
  });

  it('refuses wrong client credentials through the SDK login', async () => {
    const { createGenesysApiClient, toGenesysApiError } =
      await import('../../core/genesys/sdk-client');
    const client = createGenesysApiClient({ baseUrl: sandbox.url });
    const error = await client.apiClient
      .loginClientCredentialsGrant('sandbox-client', 'wrong')
      .catch((caught: unknown) => toGenesysApiError(caught));
    expect(error).toMatchObject({ status: 401 });
  });

  it('serves the inspection routes over HTTP', async () => {
    const counters = (await (await fetch(`${sandbox.url}/__sandbox/counters`)).json()) as {
      requests: number;
    };
    expect(counters.requests).toBeGreaterThan(0);
    const orgs = (await (await fetch(`${sandbox.url}/__sandbox/orgs`)).json()) as {
      id: string;
      clientId: string;
      contactListIds: string[];
    }[];
    expect(orgs[0]?.clientId).toBe('sandbox-client');
    const contacts = (await (
      await fetch(`${sandbox.url}/__sandbox/contacts/${orgs[0]?.contactListIds[0]}`)
    ).json()) as unknown[];
    expect(contacts).toHaveLength(1);
    const requests = (await (await fetch(`${sandbox.url}/__sandbox/requests`)).json()) as {
      status: number;
      correlationId: string;
    }[];
    expect(requests.some((entry) => entry.status === 415)).toBe(true);
    const created = await fetch(`${sandbox.url}/__sandbox/orgs/${orgs[0]?.id ?? ''}/contactlists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'From inspection',
        columnNames: ['Phone'],
        phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
      }),
    });
    expect(created.status).toBe(200);
    const createdId = ((await created.json()) as { id: string }).id;
    expect(sandbox.inspect.orgs()[0]?.contactListIds).toContain(createdId);
    const reset = await fetch(`${sandbox.url}/__sandbox/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'field-report' }),
    });
    expect(((await reset.json()) as unknown[]).length).toBe(2);
    const bad = await fetch(`${sandbox.url}/__sandbox/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'nope' }),
    });
    expect(bad.status).toBe(400);
  });
});
