import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { createServices, dispatch, OrgRegistry, SANDBOX_ORG_ID } from '../../core/services';
import { createMemorySecretStore } from '../../core/store';

/** Contact-list browsing through the lists:* channels, the registry and the real SDK. */
let sandbox: Sandbox;
let dataFolder: string;
let registry: OrgRegistry;
let services: ReturnType<typeof createServices>;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo' });
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-lists-'));
  registry = new OrgRegistry({ dataFolder, secretStore: createMemorySecretStore(), sandbox });
  services = createServices({ version: 't', dataFolder, shell: 'web-host', orgs: registry });
});
afterAll(async () => {
  registry?.signOutAll();
  await sandbox?.stop();
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(services, channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

interface Page {
  entities: {
    id: string;
    name: string;
    columnNames: string[];
    phoneColumns: { columnName: string }[];
    size?: number;
  }[];
  total: number;
  pageCount: number;
  pageNumber: number;
}

describe('lists:* on the built-in Sandbox org', () => {
  it('searches by name, pages, and reports columns, phone columns and size', async () => {
    const all = await ok<Page>('lists:search', { orgId: SANDBOX_ORG_ID, pageSize: 100 });
    expect(all.total).toBe(sandbox.orgs[0]!.contactListIds.length);
    const names = all.entities.map((list) => list.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    for (const list of all.entities) {
      expect(list.columnNames.length).toBeGreaterThan(0);
      expect(typeof list.size).toBe('number');
    }

    const firstPage = await ok<Page>('lists:search', { orgId: SANDBOX_ORG_ID, pageSize: 1 });
    const secondPage = await ok<Page>('lists:search', {
      orgId: SANDBOX_ORG_ID,
      pageSize: 1,
      pageNumber: 2,
    });
    expect(firstPage.pageCount).toBe(all.total);
    expect(firstPage.entities[0]?.id).not.toBe(secondPage.entities[0]?.id);

    const target = all.entities[0]!;
    const fragment = target.name.slice(1, 6).toUpperCase();
    const filtered = await ok<Page>('lists:search', { orgId: SANDBOX_ORG_ID, name: fragment });
    expect(filtered.entities.map((list) => list.id)).toContain(target.id);
    expect(filtered.entities.every((list) => list.name.toUpperCase().includes(fragment))).toBe(
      true,
    );
  });

  it('saves exactly the GET /contactlists/{id} JSON for offline preparation', async () => {
    const listId = sandbox.orgs[0]!.contactListIds[0]!;
    const detail = await ok<{ summary: { id: string }; json: Record<string, unknown> }>(
      'lists:get',
      {
        orgId: SANDBOX_ORG_ID,
        listId,
      },
    );
    expect(detail.summary.id).toBe(listId);

    const filePath = path.join(dataFolder, 'out', 'schema.json');
    const saved = await ok<{ filePath: string; bytes: number }>('lists:saveSchema', {
      orgId: SANDBOX_ORG_ID,
      listId,
      filePath,
    });
    expect(saved.filePath).toBe(filePath);
    const written = JSON.parse(fs.readFileSync(filePath, 'utf8')) as unknown;

    // The same request made by hand must give the same JSON.
    const demo = sandbox.orgs[0]!;
    const tokenAnswer = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    const direct = await fetch(`${sandbox.url}/api/v2/outbound/contactlists/${listId}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(written).toEqual(await direct.json());
    expect(saved.bytes).toBe(fs.statSync(filePath).size);

    const defaultPlace = await ok<{ filePath: string }>('lists:saveSchema', {
      orgId: SANDBOX_ORG_ID,
      listId,
    });
    expect(defaultPlace.filePath.startsWith(path.join(dataFolder, 'schemas', SANDBOX_ORG_ID))).toBe(
      true,
    );
    expect(fs.existsSync(defaultPlace.filePath)).toBe(true);
  });

  it('creates a list from a mapping and finds it again', async () => {
    const created = await ok<{
      id: string;
      name: string;
      columnNames: string[];
      phoneColumns: { columnName: string }[];
    }>('lists:create', {
      orgId: SANDBOX_ORG_ID,
      name: 'Sluice created list',
      columnNames: ['CustomerId', 'First Name', 'Mobile'],
      phoneColumns: [{ columnName: 'Mobile', type: 'cell' }],
    });
    expect(created.id).not.toBe('');
    expect(created.columnNames).toEqual(['CustomerId', 'First Name', 'Mobile']);
    expect(created.phoneColumns.map((column) => column.columnName)).toEqual(['Mobile']);
    const found = await ok<Page>('lists:search', { orgId: SANDBOX_ORG_ID, name: 'Sluice created' });
    expect(found.entities.map((list) => list.id)).toEqual([created.id]);
  });

  it('refuses a mapping whose phone column is not a column, and an unknown list with not-found', async () => {
    const invalid = await dispatch(services, 'lists:create', {
      orgId: SANDBOX_ORG_ID,
      name: 'Broken',
      columnNames: ['A'],
      phoneColumns: [{ columnName: 'Phone', type: 'cell' }],
    });
    expect(invalid).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-request',
        message: expect.stringContaining('"Phone" is not one of the columns'),
      },
    });
    const missing = await dispatch(services, 'lists:get', {
      orgId: SANDBOX_ORG_ID,
      listId: 'no-such-list',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
