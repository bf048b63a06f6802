import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { RunSummary } from '../../core/contract/runs';
import { ImportRun } from '../../core/engine/import/import-run';
import type { Sandbox } from '../../core/sandbox';
import { removeRunsFolder, runsFolder, scratchList, scratchRows, withSandbox } from './engine-run';
import { SANDBOX_LIST, sandboxOnly } from './target';
import { orgTokenSource } from '../support/sandbox-sdk';

/**
 * The bulk-import strategy against the documented import behaviour (docs/GENESYS.md#bulk-import
 * and below), checked on the Sandbox's side. Sandbox-only: they shape importstatus (stale, lag,
 * finished state) and read the request log.
 */
const reason = "shapes the Sandbox's importstatus and reads its request log";

let folder: string;
beforeAll(() => {
  folder = runsFolder();
});
afterAll(() => removeRunsFolder(folder));

/** Imports `rows` scratch rows with the engine; ids in `CrmId` unless `hashIds`. */
function importRows(
  sandbox: Sandbox,
  listId: string,
  runId: string,
  rows: number,
  options: { hashIds?: boolean; listColumns?: string[] } = {},
): Promise<RunSummary> {
  const org = sandbox.orgs[0]!;
  return new ImportRun({
    runId,
    runDir: join(folder, runId),
    orgName: org.name,
    contactListId: listId,
    apiUrl: sandbox.url,
    tokenSource: orgTokenSource(sandbox),
    listColumns: options.listColumns ?? SANDBOX_LIST.columnNames,
    source: scratchRows(rows, `${runId}-`),
    pollIntervalMs: 40,
    sizePollIntervalMs: 100,
    noStatusSettleMs: 1500,
    ...(options.hashIds ? {} : { contactIdColumn: 'CrmId' }),
  }).start();
}

const listGets = (sandbox: Sandbox, listId: string) =>
  sandbox.inspect
    .requests()
    .filter(
      (entry) => entry.method === 'GET' && entry.path === `/api/v2/outbound/contactlists/${listId}`,
    );

describe('the engine follows importstatus as documented', () => {
  for (const finished of ['omitted', 'IN_PROGRESS'] as const) {
    sandboxOnly(
      `#import-status-states (Java SDK ImportStatus.md; Terraform): an import whose status reads 100 percent with state ${finished === 'omitted' ? 'absent' : 'IN_PROGRESS'} ends from the status`,
      reason,
      () =>
        withSandbox(
          { importFinishedState: finished, importRowsPerSecond: 3000 },
          async (sandbox) => {
            const listId = scratchList(sandbox, `status-${finished}`);
            sandbox.inspect.clearRequests();
            const summary = await importRows(sandbox, listId, `status-${finished}`, 900);
            expect(summary).toMatchObject({
              state: 'completed',
              uploaded: 900,
              invariant: { holds: true },
            });
            expect(summary.stateReason).toBeUndefined(); // not the size fallback's note
            // one size read for the baseline before the upload, none after it
            expect(listGets(sandbox, listId)).toHaveLength(1);
            expect(sandbox.inspect.contacts(listId)).toHaveLength(900);
          },
        ),
    );
  }

  sandboxOnly(
    '#import-status-stale, #list-size-lag (Terraform validateContactsRecordCount): a small import that never updates its status ends on the lagging list size',
    reason,
    () =>
      withSandbox({ importStatusMinRows: 1000, listSizeLagMs: 400 }, async (sandbox) => {
        const listId = scratchList(sandbox, 'stale');
        const summary = await importRows(sandbox, listId, 'stale', 25);
        expect(summary).toMatchObject({
          state: 'completed',
          uploaded: 25,
          invariant: { holds: true },
        });
        expect(summary.stateReason).toMatch(/no import status .* grew by 25 contacts for 25 rows/);
        expect(sandbox.inspect.contacts(listId)).toHaveLength(25);
      }),
  );
});

describe('the import id column (docs/GENESYS.md#contact-id-name, #import-extra-columns)', () => {
  sandboxOnly(
    '#contact-id-name (Terraform contacts_id_name): ids in a mapped list column add no column to the list',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'id-column');
        const summary = await importRows(sandbox, listId, 'idcol', 40);
        expect(summary).toMatchObject({ uploaded: 40, invariant: { holds: true } });
        expect(sandbox.inspect.contacts(listId).find((c) => c.id === 'idcol-3')?.data).toEqual({
          CrmId: 'idcol-3',
          FirstName: 'Name 3',
          Phone: '+13175550003',
        });
      }),
  );

  sandboxOnly(
    '#import-extra-columns (help "Append records"): hash ids need an extra column, and the run says which and why',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'hash-ids');
        const summary = await importRows(sandbox, listId, 'hash', 40, { hashIds: true });
        expect(summary).toMatchObject({ uploaded: 40, invariant: { holds: true } });
        expect(summary.stateReason).toMatch(
          /extra column "SluiceContactId" because the mapping's ids are a hash/,
        );
        expect(sandbox.inspect.contacts(listId)[0]?.data).toHaveProperty('SluiceContactId');
      }),
  );

  sandboxOnly(
    '#import-failure-reasons (Java SDK ImportStatus failureReason): CONTACT_COLUMNS_LIMIT_EXCEEDED reads as the columns the file adds to a list of M',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const columns = [
          ...SANDBOX_LIST.columnNames,
          ...Array.from({ length: 47 }, (_, index) => `Spare${index + 1}`),
        ];
        const listId = sandbox.inspect.createContactList(sandbox.orgs[0]!.id, {
          ...SANDBOX_LIST,
          name: 'fifty columns',
          columnNames: columns,
        }).id;
        const summary = await importRows(sandbox, listId, 'wide', 20, {
          hashIds: true,
          listColumns: columns,
        });
        expect(summary).toMatchObject({ uploaded: 0, failed: 20, invariant: { holds: true } });
        expect(summary.stateReason).toContain(
          'Genesys failed the import: the file adds 1 column ("SluiceContactId") to a list of 50; Genesys allows 50.',
        );
        expect(sandbox.inspect.contacts(listId)).toHaveLength(0);
      }),
  );
});
