import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ContractError } from '../../core/contract';
import { startAppRuntime, type AppRuntime } from '../../core/services/app-runtime';
import {
  contactPosts,
  expectRequeuedWithPriority,
  removeRunsFolder,
  runsFolder,
  scratchList,
  writeScratchCsv,
} from './engine-run';
import { sandboxOnly } from './target';
import { runFinished } from '../support/app-runtime-runs';

/**
 * The run options and the capacity preflight through the app's runs:start (the runtime the
 * desktop app and the web host start, with its built-in Sandbox org), checked on the Sandbox's
 * side. Sandbox-only: the built-in org is the Sandbox.
 */
const reason = "reads the built-in Sandbox's request log";

let folder: string;
let runtime: AppRuntime;
beforeAll(async () => {
  folder = runsFolder();
  runtime = await startAppRuntime({
    version: '0.0.0',
    dataFolder: join(folder, 'data'),
    shell: 'web-host',
    sandbox: { scenario: 'demo', overrides: { rules: { maxContactsPerList: 60 } } },
  });
});
afterAll(async () => {
  await runtime.close();
  removeRunsFolder(folder);
});

async function start(listId: string, csvPath: string, options: Record<string, unknown> = {}) {
  runtime.fileAccess.grantPath(csvPath);
  const inspection = await runtime.services['csv:inspect']({ path: csvPath });
  const matched = await runtime.services['csv:autoMatch']({
    headers: inspection.headers,
    source: { kind: 'list', orgId: 'sandbox', listId },
  });
  return runtime.services['runs:start']({
    orgId: 'sandbox',
    listId,
    csvPath,
    mapping: { ...matched.mapping, contactId: { kind: 'column', column: 'CrmId' } },
    strategy: 'contacts',
    headroomPercent: 10,
    batchSize: 20,
    ...options,
  });
}

describe('runs:start (docs/GENESYS.md#contact-do-not-queue, #list-capacity)', () => {
  sandboxOnly(
    '#contact-do-not-queue (SDK 262 OutboundApi.js): an app run sends doNotQueue=true; requeueUpdated with priority re-queues on purpose',
    reason,
    async () => {
      const sandbox = runtime.sandbox!;
      const listId = scratchList(sandbox, 'service-flags');
      const file = writeScratchCsv(folder, 'service-flags', 30);
      sandbox.inspect.clearRequests();
      const first = await start(listId, file);
      expect(await runFinished(runtime, first.runId)).toMatchObject({ uploaded: 30 });
      for (const post of contactPosts(sandbox))
        expect(post.query).toMatchObject({ doNotQueue: 'true', priority: 'false' });
      sandbox.inspect.markDialed(listId);
      sandbox.inspect.clearRequests();
      const second = await start(listId, file, { requeueUpdated: true, priority: true });
      expect(await runFinished(runtime, second.runId)).toMatchObject({ uploaded: 30 });
      expectRequeuedWithPriority(sandbox, listId);
    },
  );

  sandboxOnly(
    '#list-capacity (help "Create a new contact list"): runs:start refuses a file the list cannot take (conflict), nothing sent',
    'needs a list cap lowered to 60',
    async () => {
      const sandbox = runtime.sandbox!;
      const listId = scratchList(sandbox, 'service-capacity');
      sandbox.inspect.clearRequests();
      const refused = await start(listId, writeScratchCsv(folder, 'service-capacity', 61)).catch(
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ContractError);
      expect(refused).toMatchObject({ code: 'conflict' });
      expect((refused as Error).message).toMatch(
        /holds 0 contacts and this file has 61 rows: together they pass the 60 contacts/,
      );
      expect(contactPosts(sandbox)).toEqual([]);
      expect(sandbox.inspect.contacts(listId)).toHaveLength(0);
    },
  );
});
