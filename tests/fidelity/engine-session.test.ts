import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { autoMapping, readContactListSchema } from '../../core/csv';
import { checkListCapacity, ListCapacityError } from '../../core/engine/run/capacity-preflight';
import { RunManager } from '../../core/engine/run/run-manager';
import { newRunMeta } from '../../core/engine/run/run-meta';
import { openRunSession } from '../../core/engine/run/run-session';
import { readContactListJson } from '../../core/genesys/contact-list-reader';
import {
  removeRunsFolder,
  runsFolder,
  scratchList,
  withSandbox,
  writeScratchCsv,
} from './engine-run';
import { SANDBOX_LIST, sandboxOnly } from './target';
import { orgTokenSource } from '../support/sandbox-sdk';
import { writeLargeWorkbook } from '../unit/csv/xlsx-workbooks';

/**
 * A run's start as the app and the CLI do it (openRunSession, the capacity check), checked on
 * the Sandbox's request log. Sandbox-only: they count the Sandbox's requests.
 */
const reason = "counts requests in the Sandbox's request log";

let folder: string;
beforeAll(() => {
  folder = runsFolder();
});
afterAll(() => removeRunsFolder(folder));

describe('a run reads its list and limits once (docs/GENESYS.md#endpoints, #limits-namespaces)', () => {
  sandboxOnly(
    '#limits-namespaces (Java SDK Limit.md): a run start reads the list once and the limits from platform.api, never platform-api',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'one-reader');
        const csvPath = writeScratchCsv(folder, 'one-reader', 120, ['CRMID', 'firstname', 'PHONE']);
        const list = { ...SANDBOX_LIST, id: listId };
        const manager = new RunManager(join(folder, 'runs'));
        const meta = newRunMeta({
          runId: manager.newRunId(),
          orgName: 'Sandbox',
          apiUrl: sandbox.url,
          clientId: sandbox.orgs[0]!.clientId,
          contactListId: listId,
          strategy: 'contacts',
          csvPath,
          mapping: {
            ...autoMapping(['CRMID', 'firstname', 'PHONE'], readContactListSchema(list)),
            contactId: { kind: 'column', column: 'CrmId' },
          },
          batchSize: 50,
          headroom: 0.1,
        });
        manager.writeMeta(meta);
        sandbox.inspect.clearRequests();
        const run = await openRunSession(
          manager,
          meta,
          { apiUrl: sandbox.url, tokenSource: orgTokenSource(sandbox) },
          'upload',
        );
        const summary = await run.start();
        expect(summary).toMatchObject({ uploaded: 120, invariant: { holds: true } });

        const gets = sandbox.inspect.requests().filter((entry) => entry.method === 'GET');
        const listReads = gets.filter(
          (entry) => entry.path === `/api/v2/outbound/contactlists/${listId}`,
        );
        expect(listReads).toHaveLength(1);
        const limitReads = gets.filter((entry) => entry.path.includes('/limits/namespaces/'));
        expect(limitReads.map((entry) => [entry.path, entry.status])).toEqual([
          ['/api/v2/organizations/limits/namespaces/platform.api', 200],
        ]);
        expect(sandbox.inspect.contacts(listId)).toHaveLength(120);
      }),
  );
});

describe('column names (docs/GENESYS.md#column-match-case-insensitive)', () => {
  for (const strategy of ['contacts', 'import'] as const) {
    sandboxOnly(
      `#column-match-case-insensitive (help "Append records"): a ${strategy} run whose mapping spells the list's columns in another case loads every row in the list's spelling`,
      reason,
      () =>
        withSandbox({}, async (sandbox) => {
          const listId = scratchList(sandbox, `case-${strategy}`);
          const csvPath = writeScratchCsv(folder, `case-${strategy}`, 30, ['id', 'name', 'tel']);
          const manager = new RunManager(join(folder, `runs-case-${strategy}`));
          const meta = newRunMeta({
            runId: manager.newRunId(),
            orgName: 'Sandbox',
            apiUrl: sandbox.url,
            clientId: sandbox.orgs[0]!.clientId,
            contactListId: listId,
            strategy,
            csvPath,
            mapping: {
              columns: {
                CRMID: { source: { kind: 'csv', header: 'id' } },
                firstname: { source: { kind: 'csv', header: 'name' } },
                phone: { source: { kind: 'csv', header: 'tel' } },
              },
              contactId: { kind: 'column', column: 'crmId' },
            },
            batchSize: 50,
            headroom: 0.1,
          });
          manager.writeMeta(meta);
          const run = await openRunSession(
            manager,
            meta,
            { apiUrl: sandbox.url, tokenSource: orgTokenSource(sandbox) },
            'upload',
            { importTuning: { pollIntervalMs: 40, sizePollIntervalMs: 100 } },
          );
          const summary = await run.start();
          expect(summary).toMatchObject({
            uploaded: 30,
            rejected: 0,
            failed: 0,
            invariant: { holds: true },
          });
          const stored = sandbox.inspect.contacts(listId);
          expect(stored).toHaveLength(30);
          expect(stored.find((contact) => contact.id === 'C7')?.data).toMatchObject({
            CrmId: 'C7',
            FirstName: 'Name 7',
            Phone: '+13175550007',
          });
          // nothing added to the list: its columns are still the three it had
          const list = await readContactListJson({
            apiUrl: sandbox.url,
            tokenSource: orgTokenSource(sandbox),
            contactListId: listId,
          });
          expect(list.columnNames).toEqual(SANDBOX_LIST.columnNames);
        }),
    );
  }
});

describe('capacity preflight (docs/GENESYS.md#list-capacity)', () => {
  sandboxOnly(
    '#list-capacity (help "Create a new contact list"): a file that would take the list past the org\'s cap is refused before any contact is sent',
    'needs a list cap lowered to 100',
    () =>
      withSandbox({ rules: { maxContactsPerList: 100 } }, async (sandbox) => {
        const listId = scratchList(sandbox, 'capacity');
        const tokenSource = orgTokenSource(sandbox);
        const seed = Array.from({ length: 60 }, (_, index) => ({
          id: `seed-${index}`,
          data: { CrmId: `seed-${index}`, Phone: `+1317666${String(index).padStart(4, '0')}` },
        }));
        await fetch(`${sandbox.url}/api/v2/outbound/contactlists/${listId}/contacts`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${await tokenSource.getAccessToken()}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(seed.map((contact) => ({ contactListId: listId, ...contact }))),
        });
        const list = await readContactListJson({
          apiUrl: sandbox.url,
          tokenSource,
          contactListId: listId,
          includeSize: true,
        });
        expect(list.size).toBe(60);
        const limits = { apiUrl: sandbox.url, tokenSource };

        // 40 more fit exactly
        await checkListCapacity({
          list,
          contactListId: listId,
          csvPath: writeScratchCsv(folder, 'fits', 40),
          limits,
        });
        sandbox.inspect.clearRequests();
        const refused = await checkListCapacity({
          list,
          contactListId: listId,
          csvPath: writeScratchCsv(folder, 'too-many', 41),
          limits,
        }).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(ListCapacityError);
        expect((refused as ListCapacityError).message).toMatch(
          /holds 60 contacts and this file has 41 rows: together they pass the 100 contacts a list may hold/,
        );
        const requests = sandbox.inspect.requests();
        expect(requests.map((entry) => entry.path)).toEqual([
          '/api/v2/organizations/limits/namespaces/outbound',
        ]);
        expect(sandbox.inspect.contacts(listId)).toHaveLength(60);

        // rows the whole-file check counted stand for the file: it is not read again
        const unread = join(folder, 'not-there.csv');
        await checkListCapacity({
          list,
          contactListId: listId,
          csvPath: unread,
          limits,
          countedRows: 40,
        });
        const counted = await checkListCapacity({
          list,
          contactListId: listId,
          csvPath: unread,
          limits,
          countedRows: 41,
        }).catch((error: unknown) => error);
        expect((counted as ListCapacityError).message).toMatch(/this file has 41 rows/);

        // a workbook's bytes are compressed: its sheet's rows are counted, not its line breaks
        const workbook = join(folder, 'too-many.xlsx');
        await writeLargeWorkbook(workbook, 41);
        const fromSheet = await checkListCapacity({
          list,
          contactListId: listId,
          csvPath: workbook,
          sheet: 'Contacts',
          limits,
        }).catch((error: unknown) => error);
        expect(fromSheet).toBeInstanceOf(ListCapacityError);
        expect((fromSheet as ListCapacityError).message).toMatch(/this file has 41 rows/);
        const fits = join(folder, 'fits.xlsx');
        await writeLargeWorkbook(fits, 40);
        await checkListCapacity({ list, contactListId: listId, csvPath: fits, limits });
        expect(sandbox.inspect.contacts(listId)).toHaveLength(60);
      }),
  );
});
