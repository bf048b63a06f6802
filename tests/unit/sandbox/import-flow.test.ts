import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/sandbox/api-context';
import type { RouteContext } from '../../../core/sandbox/http-kit';
import { ImportService } from '../../../core/sandbox/import-flow';
import { OrgStore } from '../../../core/sandbox/org-store';
import { Router } from '../../../core/sandbox/router';
import { buildConfig } from '../../../core/sandbox/scenarios';

function setup() {
  const config = buildConfig('demo');
  let nowMs = 0;
  const store = new OrgStore(config.orgs[0] ?? (undefined as never), config.rules);
  const listId = [...store.lists.keys()][2] ?? '';
  const imports = new ImportService(
    () => ({ ...config, importRowsPerSecond: 100, importStatusMinRows: 10 }),
    () => nowMs,
  );
  const router = new Router<ApiContext>();
  imports.register(router);
  const base: RouteContext = {
    method: 'POST',
    path: '',
    params: {},
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json' },
    rawBody: Buffer.alloc(0),
    correlationId: 'c',
    baseUrl: 'http://127.0.0.1:1',
  };
  const call = (method: string, path: string, body?: unknown) => {
    const match = router.match(method, path);
    if (!('template' in match)) throw new Error(`no route ${method} ${path}`);
    return match.handler({
      ...base,
      method,
      path,
      params: match.params,
      rawBody: Buffer.from(JSON.stringify(body ?? {})),
      store,
      grant: undefined as never,
      config,
      nowMs,
    });
  };
  return { store, listId, imports, call, advanceTo: (ms: number) => (nowMs = ms) };
}

describe('import flow', () => {
  it('progresses importstatus over time at the configured rows per second', async () => {
    const { store, listId, imports, call, advanceTo } = setup();
    const upload = (await call('POST', '/api/v2/outbound/contactlists/uploads', {
      contentType: 'text/csv',
      id: listId,
      contactIdName: 'Email',
    })) as { body: { url: string } };
    const uploadKey = upload.body.url.split('/').at(-1) ?? '';
    const csv = [
      'Email,FirstName',
      ...Array.from({ length: 200 }, (_, i) => `p${i}@x.com,P${i}`),
    ].join('\n');
    imports.upload({
      method: 'PUT',
      path: '',
      params: { uploadKey },
      query: new URLSearchParams(),
      headers: {},
      rawBody: Buffer.from(csv),
      correlationId: 'c',
      baseUrl: '',
    });
    const status = async () =>
      (
        (await call('GET', `/api/v2/outbound/contactlists/${listId}/importstatus`)) as {
          body: Record<string, unknown>;
        }
      ).body;
    expect(await status()).toMatchObject({
      state: 'IN_PROGRESS',
      totalRecords: 200,
      completedRecords: 0,
    });
    advanceTo(1000);
    expect(await status()).toMatchObject({
      state: 'IN_PROGRESS',
      completedRecords: 100,
      percentComplete: 50,
    });
    expect(store.getList(listId).contacts.size).toBe(100);
    advanceTo(2500);
    expect(await status()).toMatchObject({
      state: 'COMPLETED',
      completedRecords: 200,
      percentComplete: 100,
    });
    expect(store.getList(listId).contacts.has('p199@x.com')).toBe(true);
    imports.clear();
  });

  it('fails the whole import when the file has a column the list lacks', async () => {
    const { listId, imports, call } = setup();
    const upload = (await call('POST', '/api/v2/outbound/contactlists/uploads', {
      contentType: 'text/csv',
      id: listId,
    })) as { body: { uploadKey: string } };
    imports.upload({
      method: 'PUT',
      path: '',
      params: { uploadKey: upload.body.uploadKey },
      query: new URLSearchParams(),
      headers: {},
      rawBody: Buffer.from('Email,Shoe\na@x.com,42\n'),
      correlationId: 'c',
      baseUrl: '',
    });
    const result = (await call('GET', `/api/v2/outbound/contactlists/${listId}/importstatus`)) as {
      body: Record<string, unknown>;
    };
    expect(result.body).toMatchObject({
      state: 'FAILED',
      failureReason: expect.stringMatching(/Shoe/),
    });
    await expect(async () =>
      call('POST', '/api/v2/outbound/contactlists/uploads', {
        contentType: 'text/plain',
        id: listId,
      }),
    ).rejects.toThrow(/text\/csv/);
  });
});

describe('small imports', () => {
  it('never report an importstatus under importStatusMinRows, but still land their rows', async () => {
    const { store, listId, imports, call, advanceTo } = setup();
    const upload = (await call('POST', '/api/v2/outbound/contactlists/uploads', {
      contentType: 'text/csv',
      id: listId,
      contactIdName: 'Email',
    })) as { body: { uploadKey: string } };
    imports.upload({
      method: 'PUT',
      path: '',
      params: { uploadKey: upload.body.uploadKey },
      query: new URLSearchParams(),
      headers: {},
      rawBody: Buffer.from('Email,FirstName\na@x.com,A\nb@x.com,B\n'),
      correlationId: 'c',
      baseUrl: '',
    });
    advanceTo(5000);
    await expect(async () =>
      call('GET', `/api/v2/outbound/contactlists/${listId}/importstatus`),
    ).rejects.toThrow(/not found/);
    expect(store.getList(listId).contacts.size).toBe(2);
  });
});
