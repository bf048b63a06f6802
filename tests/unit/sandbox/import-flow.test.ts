import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/sandbox/api-context';
import type { RouteContext } from '../../../core/sandbox/http-kit';
import { IMPORT_FAILURE_REASONS, ImportService } from '../../../core/sandbox/import-flow';
import { OrgStore } from '../../../core/sandbox/org-store';
import { Router } from '../../../core/sandbox/router';
import { buildConfig } from '../../../core/sandbox/scenarios';
import type { SandboxConfig } from '../../../core/sandbox/types';

/** An ImportService over one org store, driven by a hand-set clock (no wall-clock). */
function setup(overrides: Partial<SandboxConfig> = {}) {
  const config = {
    ...buildConfig('demo'),
    importRowsPerSecond: 100,
    importStatusMinRows: 10,
    ...overrides,
  };
  let nowMs = 0;
  const store = new OrgStore(config.orgs[0] ?? (undefined as never), config.rules);
  // "Webinar follow-up": Email, FirstName, Company, WorkPhone, Score.
  const listId = [...store.lists.keys()][2] ?? '';
  const imports = new ImportService(
    () => config,
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
  const importFile = async (csv: string, contactIdName?: string) => {
    const upload = (await call('POST', '/api/v2/outbound/contactlists/uploads', {
      contentType: 'text/csv',
      id: listId,
      ...(contactIdName === undefined ? {} : { contactIdName }),
    })) as { body: { uploadKey: string } };
    imports.upload({
      ...base,
      method: 'PUT',
      params: { uploadKey: upload.body.uploadKey },
      headers: {},
      rawBody: Buffer.from(csv),
    });
  };
  const status = async () =>
    (
      (await call('GET', `/api/v2/outbound/contactlists/${listId}/importstatus`)) as {
        body: Record<string, unknown>;
      }
    ).body;
  const advanceTo = (ms: number) => (nowMs = ms);
  return {
    store,
    listId,
    imports,
    call,
    importFile,
    status,
    advanceTo,
    list: () => store.getList(listId),
  };
}

const rows = (count: number, header = 'Email,FirstName') =>
  [header, ...Array.from({ length: count }, (_, i) => `p${i}@x.com,P${i}`)].join('\n');

describe('import status (docs/GENESYS.md#import-status-states)', () => {
  it('progresses IN_PROGRESS at the configured rate, then reads 100 percent with no state, never COMPLETED', async () => {
    const { list, imports, importFile, status, advanceTo } = setup();
    await importFile(rows(200), 'Email');
    expect(await status()).toEqual({
      state: 'IN_PROGRESS',
      totalRecords: 200,
      completedRecords: 0,
      percentComplete: 0,
    });
    expect(list().importRunning).toBe(true);
    advanceTo(1000);
    expect(await status()).toEqual({
      state: 'IN_PROGRESS',
      totalRecords: 200,
      completedRecords: 100,
      percentComplete: 50,
    });
    expect(list().contacts.size).toBe(100);
    advanceTo(2500);
    const finished = await status();
    expect(finished).toEqual({ totalRecords: 200, completedRecords: 200, percentComplete: 100 });
    expect(finished).not.toHaveProperty('state');
    expect(list().contacts.has('p199@x.com')).toBe(true);
    expect(list().importRunning).toBe(false);
    imports.clear();
  });

  it('can leave IN_PROGRESS on a finished import (importFinishedState), still at 100 percent', async () => {
    const { importFile, status, advanceTo } = setup({ importFinishedState: 'IN_PROGRESS' });
    await importFile(rows(20), 'Email');
    advanceTo(60_000);
    expect(await status()).toEqual({
      state: 'IN_PROGRESS',
      totalRecords: 20,
      completedRecords: 20,
      percentComplete: 100,
    });
  });

  it('counts rows it skips (a value over 512 characters) toward completedRecords', async () => {
    const { list, importFile, status, advanceTo } = setup();
    const long = 'x'.repeat(513);
    await importFile([rows(11), `long@x.com,${long}`].join('\n'), 'Email');
    advanceTo(60_000);
    expect(await status()).toMatchObject({ totalRecords: 12, completedRecords: 12 });
    expect(list().contacts.has('long@x.com')).toBe(false);
    expect(list().contacts.size).toBe(11);
  });
});

describe('import failures (docs/GENESYS.md#import-failure-reasons)', () => {
  it('fails with CONTACT_COLUMNS_LIMIT_EXCEEDED when file columns the list lacks take it past 50', async () => {
    const { list, importFile, status } = setup();
    // The list has 5 columns; 46 new file columns make 51.
    const extra = Array.from({ length: 46 }, (_, i) => `Extra${i}`);
    await importFile(`Email,${extra.join(',')}\na@x.com,${extra.map(() => '1').join(',')}\n`);
    expect(await status()).toEqual({
      state: 'FAILED',
      totalRecords: 1,
      completedRecords: 0,
      percentComplete: 0,
      failureReason: IMPORT_FAILURE_REASONS.columnsLimit,
    });
    expect(list().list.columnNames).toHaveLength(5);
    expect(list().contacts.size).toBe(0);
  });

  it('fails on duplicate column names and on a contactIdName the file lacks', async () => {
    const first = setup();
    await first.importFile('Email,email\na@x.com,b@x.com\n');
    expect(await first.status()).toMatchObject({
      state: 'FAILED',
      failureReason: IMPORT_FAILURE_REASONS.duplicateColumns,
    });
    const second = setup();
    await second.importFile('Email,FirstName\na@x.com,A\n', 'CrmId');
    expect(await second.status()).toMatchObject({
      state: 'FAILED',
      failureReason: IMPORT_FAILURE_REASONS.idColumnMissing,
    });
  });

  it('refuses a presigned upload for another content type', async () => {
    const { listId, call } = setup();
    await expect(async () =>
      call('POST', '/api/v2/outbound/contactlists/uploads', {
        contentType: 'text/plain',
        id: listId,
      }),
    ).rejects.toThrow(/text\/csv/);
  });
});

describe('import columns (docs/GENESYS.md#column-match-case-insensitive, #import-extra-columns)', () => {
  it('matches file headers case-insensitively and stores values under the list spelling', async () => {
    const { list, importFile, advanceTo, imports } = setup();
    await importFile('EMAIL,firstname,COMPANY\nA@x.com,Ada,Acme\n', 'email');
    advanceTo(60_000);
    imports.advance();
    expect(list().contacts.get('A@x.com')?.data).toEqual({
      Email: 'A@x.com',
      FirstName: 'Ada',
      Company: 'Acme',
    });
    expect(list().list.columnNames).toHaveLength(5);
  });

  it('adds file columns the list lacks to the list (and bumps its version)', async () => {
    const { list, importFile, advanceTo, imports } = setup();
    const version = list().list.version;
    await importFile('CrmId,Email,Shoe\nC1,a@x.com,42\n', 'CrmId');
    advanceTo(60_000);
    imports.advance();
    expect(list().list.columnNames).toEqual([
      'Email',
      'FirstName',
      'Company',
      'WorkPhone',
      'Score',
      'CrmId',
      'Shoe',
    ]);
    expect(list().list.version).toBe(version + 1);
    expect(list().contacts.get('C1')?.data).toEqual({ CrmId: 'C1', Email: 'a@x.com', Shoe: '42' });
  });
});

describe('small imports (docs/GENESYS.md#import-status-stale)', () => {
  it('leave the status as it was: 404 before any import, the previous import after one', async () => {
    const { list, importFile, status, advanceTo, imports } = setup();
    await importFile('Email,FirstName\na@x.com,A\nb@x.com,B\n', 'Email');
    advanceTo(5000);
    imports.advance();
    await expect(status()).rejects.toThrow(/not found/);
    expect(list().contacts.size).toBe(2);

    await importFile(rows(20), 'Email');
    advanceTo(60_000);
    const big = await status();
    expect(big).toMatchObject({ totalRecords: 20, percentComplete: 100 });
    await importFile('Email,FirstName\nc@x.com,C\n', 'Email');
    advanceTo(120_000);
    expect(await status()).toEqual(big);
    expect(list().contacts.has('c@x.com')).toBe(true);
  });
});

describe('list size lag (docs/GENESYS.md#list-size-lag)', () => {
  it('reports contacts an import added only listSizeLagMs after they landed', async () => {
    const { store, list, importFile, advanceTo, imports } = setup({ listSizeLagMs: 5000 });
    await importFile(rows(20), 'Email');
    advanceTo(1000);
    imports.advance();
    expect(list().contacts.size).toBe(20);
    expect(store.reportedSize(list(), 1000, 5000)).toBe(0);
    expect(store.reportedSize(list(), 5999, 5000)).toBe(0);
    expect(store.reportedSize(list(), 6001, 5000)).toBe(20);
    expect(store.reportedSize(list(), 6001, 0)).toBe(20);
  });
});
