import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGenesys, createGenesysApiClient } from '../../core/genesys/sdk-client';
import type { Sandbox } from '../../core/sandbox';
import {
  failureOf,
  idPrefix,
  readList,
  sandboxOnly,
  startTarget,
  stopTarget,
  type FidelityTarget,
} from './target';

/** Sign-in by PKCE, contact list endpoints and request caps (docs/GENESYS.md). */
let target: FidelityTarget;
const written: string[] = [];

beforeAll(async () => {
  target = await startTarget();
});
afterAll(() => stopTarget(target, written));

const sandbox = (): Sandbox => target.sandbox as Sandbox;

sandboxOnly(
  '#oauth-pkce (SDK authorizePKCEGrant): authorize with S256, then the code buys a token the API takes',
  'needs a person to sign in',
  async () => {
    const { apiClient, organization } = createGenesysApiClient({ baseUrl: sandbox().url });
    const verifier = apiClient.generatePKCECodeVerifier(64);
    const challenge = await apiClient.computePKCECodeChallenge(verifier);
    const clientId = sandbox().orgs[0]?.pkceClientId ?? '';
    const redirectUri = 'http://127.0.0.1:53682/callback';
    const query = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const authorize = await fetch(`${sandbox().url}/oauth/authorize?${query}`, {
      redirect: 'manual',
    });
    const code =
      new URL(authorize.headers.get('location') ?? 'http://x').searchParams.get('code') ?? '';
    await apiClient.authorizePKCEGrant(clientId, verifier, code, redirectUri);
    expect((await callGenesys(() => organization.getOrganizationsMe())).status).toBe(200);
  },
);

describe('contact list endpoints', () => {
  it('#endpoints (SDK OutboundApi.js getOutboundContactlists): a page never holds more than 100 lists', async () => {
    const answer = await callGenesys<{ entities: unknown[]; pageSize: number }>(() =>
      target.sdk.outbound.getOutboundContactlists({ pageSize: 100, pageNumber: 1 }),
    );
    expect(answer.body.entities.length).toBeLessThanOrEqual(100);
    const over = await callGenesys<{ entities: unknown[]; pageSize: number }>(() =>
      target.sdk.outbound.getOutboundContactlists({ pageSize: 101 }),
    ).catch((error: unknown) => error);
    if (over instanceof Error) expect((over as unknown as { status: number }).status).toBe(400);
    else expect((over as { body: { pageSize: number } }).body.pageSize).toBeLessThanOrEqual(100);
  });

  it('#contactlist-fields (SDK index.d.ts ContactList): a list has columnNames, phoneColumns, version and, when asked, size', async () => {
    const answer = await callGenesys<Record<string, unknown>>(() =>
      target.sdk.outbound.getOutboundContactlist(target.listId, { includeSize: true }),
    );
    expect(answer.body).toMatchObject({
      id: target.listId,
      columnNames: expect.any(Array),
      phoneColumns: expect.any(Array),
      version: expect.any(Number),
      size: expect.any(Number),
    });
    const plain = await callGenesys<Record<string, unknown>>(() =>
      target.sdk.outbound.getOutboundContactlist(target.listId),
    );
    expect(plain.body).not.toHaveProperty('size');
  });

  it('#contactlist-fields (version field; 409 documented on PUT): a PUT with a stale version is a 409', async () => {
    const list = await callGenesys<Record<string, unknown> & { version: number }>(() =>
      target.sdk.outbound.getOutboundContactlist(target.listId),
    );
    const error = await failureOf(() =>
      target.sdk.outbound.putOutboundContactlist(target.listId, {
        ...list.body,
        version: list.body.version - 1,
      } as never),
    );
    expect(error.status).toBe(409);
    expect((await readList(target)).version).toBe(list.body.version);
  });

  sandboxOnly(
    '#list-value-limits (help "Create a new contact list"): a list of 51 columns or a 129-character name is refused',
    'creates lists',
    async () => {
      const phone = { phoneColumns: [{ columnName: 'C0', type: 'Cell' }] };
      const wide = Array.from({ length: 51 }, (_, index) => `C${index}`);
      const tooWide = await failureOf(() =>
        target.sdk.outbound.postOutboundContactlists({
          name: 'Wide',
          columnNames: wide,
          ...phone,
        } as never),
      );
      expect(tooWide.status).toBe(400);
      const longName = await failureOf(() =>
        target.sdk.outbound.postOutboundContactlists({
          name: 'Long',
          columnNames: ['C0', 'x'.repeat(129)],
          ...phone,
        } as never),
      );
      expect(longName.status).toBe(400);
      const fifty = await callGenesys<{ columnNames: string[] }>(() =>
        target.sdk.outbound.postOutboundContactlists({
          name: 'Fifty',
          columnNames: wide.slice(0, 50),
          ...phone,
        } as never),
      );
      expect(fifty.body.columnNames).toHaveLength(50);
    },
  );
});

describe('request caps (docs/GENESYS.md#request-caps, guessed)', () => {
  it('#request-caps (community): 1,001 contacts in one POST are refused, nothing stored', async () => {
    const { phoneColumn } = await readList(target);
    const prefix = idPrefix('cap');
    const contacts = Array.from({ length: 1001 }, (_, index) => ({
      contactListId: target.listId,
      id: `${prefix}${index}`,
      data: { [phoneColumn]: `+1317557${String(10_000 + index).slice(-4)}` },
    }));
    written.push(...contacts.map((contact) => contact.id));
    const error = await failureOf(() =>
      target.sdk.outbound.postOutboundContactlistContacts(target.listId, contacts),
    );
    expect(error.status).toBe(400);
    const read = await callGenesys<unknown[]>(() =>
      target.sdk.outbound.postOutboundContactlistContactsBulk(target.listId, [
        contacts[0]?.id ?? '',
      ]),
    );
    expect(read.body).toEqual([]);
  });

  sandboxOnly(
    '#request-caps (request.bytes.max, community): a body over 512,000 bytes is a 413',
    'sends a half-megabyte body',
    async () => {
      const { phoneColumn, columnNames } = await readList(target);
      const other = columnNames.find((column) => column !== phoneColumn) ?? phoneColumn;
      const contacts = Array.from({ length: 1000 }, (_, index) => ({
        contactListId: target.listId,
        id: `big-${index}`,
        data: { [phoneColumn]: '+13175550100', [other]: 'x'.repeat(510) },
      }));
      const error = await failureOf(() =>
        target.sdk.outbound.postOutboundContactlistContacts(target.listId, contacts),
      );
      expect(error).toMatchObject({ status: 413, code: 'request.entity.too.large' });
    },
  );
});
