import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGenesys, type GenesysApiError } from '../../core/genesys/sdk-client';
import { IMPORT_FAILURE_REASONS, type Sandbox } from '../../core/sandbox';
import {
  idPrefix,
  isLive,
  readList,
  sandboxOnly,
  startTarget,
  stopTarget,
  type FidelityTarget,
} from './target';

/** The bulk file import and its status (docs/GENESYS.md#bulk-import and below). */
let target: FidelityTarget;
const written: string[] = [];
const pollMs = isLive ? 5000 : 25;
const patienceMs = isLive ? 300_000 : 20_000;

/** Added to the Sandbox clock: the lag test jumps time instead of waiting it out. */
let clockOffsetMs = 0;
const listSizeLagMs = 60_000;

beforeAll(async () => {
  target = await startTarget(
    { importRowsPerSecond: 2000, importStatusMinRows: 50, listSizeLagMs },
    { now: () => Date.now() + clockOffsetMs },
  );
});
afterAll(() => stopTarget(target, written));

const sandbox = (): Sandbox => target.sandbox as Sandbox;

/** Requests a presigned URL and PUTs the CSV there, as the import flow does. */
async function importCsv(csv: string, contactIdName?: string): Promise<void> {
  const upload = await callGenesys<{ url: string; headers?: Record<string, string> }>(() =>
    target.sdk.outbound.postOutboundContactlistsUploads({
      contentType: 'text/csv',
      id: target.listId,
      ...(contactIdName === undefined ? {} : { contactIdName }),
    }),
  );
  const put = await fetch(upload.body.url, {
    method: 'PUT',
    headers: upload.body.headers ?? { 'Content-Type': 'text/csv' },
    body: csv,
  });
  expect(put.ok).toBe(true);
}

type Status = {
  state?: string;
  totalRecords?: number;
  completedRecords?: number;
  percentComplete?: number;
  failureReason?: string;
};

/** importstatus, or undefined while there is none (404). */
async function importStatus(): Promise<Status | undefined> {
  try {
    return (
      await callGenesys<Status>(() =>
        target.sdk.outbound.getOutboundContactlistImportstatus(target.listId),
      )
    ).body;
  } catch (error) {
    if ((error as GenesysApiError).status === 404) return undefined;
    throw error;
  }
}

async function listSize(): Promise<number> {
  const answer = await callGenesys<{ size: number }>(() =>
    target.sdk.outbound.getOutboundContactlist(target.listId, { includeSize: true }),
  );
  return answer.body.size;
}

/** Polls `read` until `done` holds or patience runs out; returns every value read. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const value = await read();
    seen.push(value);
    if (done(value) || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A CSV of `count` rows keyed by a list column (the id column adds no column). */
async function rowsCsv(name: string, count: number) {
  const { columnNames, phoneColumn } = await readList(target);
  const idColumn = columnNames.find((column) => column !== phoneColumn) ?? phoneColumn;
  const prefix = idPrefix(name);
  const ids = Array.from({ length: count }, (_, index) => `${prefix}${index}`);
  written.push(...ids);
  const lines = ids.map((id, index) => `${id},+1317556${String(10_000 + index).slice(-4)}`);
  return { csv: `${idColumn},${phoneColumn}\n${lines.join('\n')}\n`, idColumn, ids, columnNames };
}

describe('import status', () => {
  it('#import-status-states (Java SDK ImportStatus.md StateEnum; Terraform): only IN_PROGRESS/FAILED, never COMPLETED; done reads 100 percent', async () => {
    const { csv, idColumn } = await rowsCsv('states', 400);
    const before = await listSize();
    await importCsv(csv, idColumn);
    const seen = await pollUntil(
      async () => ({ status: await importStatus(), size: await listSize() }),
      ({ status, size }) => status?.percentComplete === 100 || size >= before + 400,
    );
    for (const { status } of seen) expect([undefined, 'IN_PROGRESS']).toContain(status?.state);
    const last = seen.at(-1)?.status;
    if (!isLive || last?.percentComplete === 100) {
      expect(last).toMatchObject({
        totalRecords: 400,
        completedRecords: 400,
        percentComplete: 100,
      });
    }
  });

  sandboxOnly(
    '#import-status-stale (Terraform comment on small imports): a small import leaves the previous status',
    'needs the Sandbox status threshold',
    async () => {
      const previous = await importStatus();
      const { csv, idColumn, ids } = await rowsCsv('stale', 3);
      await importCsv(csv, idColumn);
      await pollUntil(
        async () => sandbox().inspect.contacts(target.listId).length,
        () =>
          ids.every((id) =>
            sandbox()
              .inspect.contacts(target.listId)
              .some((contact) => contact.id === id),
          ),
      );
      expect(await importStatus()).toEqual(previous);
    },
  );

  sandboxOnly(
    '#list-size-lag (Terraform validateContactsRecordCount, 5 s polls): the size catches up only after the lag',
    'needs the Sandbox lag and clock',
    async () => {
      const { csv, idColumn, ids } = await rowsCsv('lag', 60);
      const before = sandbox().inspect.contacts(target.listId).length;
      await importCsv(csv, idColumn);
      await pollUntil(
        importStatus,
        (status) => status?.percentComplete === 100 && status.totalRecords === 60,
      );
      expect(sandbox().inspect.contacts(target.listId)).toHaveLength(before + ids.length);
      expect(await listSize()).toBeLessThan(before + ids.length);
      clockOffsetMs += listSizeLagMs + 1000;
      expect(await listSize()).toBe(before + ids.length);
    },
  );
});

describe('import columns and failures', () => {
  sandboxOnly(
    '#import-failure-reasons (field reports; help "Create a new contact list" 50 columns): CONTACT_COLUMNS_LIMIT_EXCEEDED',
    'adds columns to the list when it does not fail',
    async () => {
      const { columnNames } = await readList(target);
      const extra = Array.from({ length: 51 - columnNames.length }, (_, index) => `Extra${index}`);
      await importCsv(
        `${[...columnNames, ...extra].join(',')}\n${[...columnNames, ...extra].map(() => '1').join(',')}\n`,
      );
      const [status] = await pollUntil(importStatus, (value) => value?.state === 'FAILED');
      expect(status).toMatchObject({
        state: 'FAILED',
        failureReason: IMPORT_FAILURE_REASONS.columnsLimit,
      });
      expect((await readList(target)).columnNames).toEqual(columnNames);
    },
  );

  sandboxOnly(
    '#contact-id-name (Terraform contacts_id_name): ids come from the named file column; a list column adds none',
    'reads the Sandbox store',
    async () => {
      const { csv, idColumn, ids, columnNames } = await rowsCsv('idname', 60);
      await importCsv(csv, idColumn.toLowerCase());
      await pollUntil(
        importStatus,
        (status) => status?.percentComplete === 100 && status.totalRecords === 60,
      );
      const stored = new Set(
        sandbox()
          .inspect.contacts(target.listId)
          .map((contact) => contact.id),
      );
      expect(ids.filter((id) => !stored.has(id))).toEqual([]);
      expect((await readList(target)).columnNames).toEqual(columnNames);
    },
  );

  sandboxOnly(
    '#import-extra-columns (help "Append records"): a file column the list lacks joins the list',
    'changes the list columns',
    async () => {
      const { columnNames, phoneColumn } = await readList(target);
      const id = `${idPrefix('extra')}1`;
      await importCsv(
        `${phoneColumn.toUpperCase()},NewColumn,ImportId\n+13175569999,hello,${id}\n`,
        'ImportId',
      );
      await pollUntil(
        async () =>
          sandbox()
            .inspect.contacts(target.listId)
            .some((c) => c.id === id),
        Boolean,
      );
      expect((await readList(target)).columnNames).toEqual([
        ...columnNames,
        'NewColumn',
        'ImportId',
      ]);
      const stored = sandbox()
        .inspect.contacts(target.listId)
        .find((contact) => contact.id === id);
      expect(stored?.data).toEqual({
        [phoneColumn]: '+13175569999',
        NewColumn: 'hello',
        ImportId: id,
      });
    },
  );

  sandboxOnly(
    '#csv-file-rules (help "CSV files": column names must be unique): duplicate header names fail the import',
    'fails an import on purpose',
    async () => {
      const { columnNames, phoneColumn } = await readList(target);
      await importCsv(`${phoneColumn},${phoneColumn.toLowerCase()}\n+13175550100,+13175550101\n`);
      const seen = await pollUntil(importStatus, (value) => value?.state === 'FAILED');
      expect(seen.at(-1)).toMatchObject({
        state: 'FAILED',
        failureReason: IMPORT_FAILURE_REASONS.duplicateColumns,
      });
      expect((await readList(target)).columnNames).toEqual(columnNames);
    },
  );
});
