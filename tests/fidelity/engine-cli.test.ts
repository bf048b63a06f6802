import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { main } from '../../cli/index';
import {
  startSandbox,
  type DeepPartial,
  type Sandbox,
  type SandboxConfig,
} from '../../core/sandbox';
import {
  contactPosts,
  expectRequeuedWithPriority,
  removeRunsFolder,
  runsFolder,
  scratchList,
  writeScratchCsv,
} from './engine-run';
import { sandboxOnly } from './target';

/**
 * The run options and the capacity preflight through `sluice upload` itself (in-process), checked
 * on the Sandbox's request log. Sandbox-only: they read the Sandbox's log.
 */
const reason = "reads the Sandbox's request log";

let folder: string;
const saved = { ...process.env };
beforeAll(() => {
  folder = runsFolder();
  process.env.SLUICE_DATA_DIR = join(folder, 'data');
});
afterAll(() => {
  process.env = saved;
  removeRunsFolder(folder);
});

async function withSandbox(
  overrides: DeepPartial<SandboxConfig>,
  test: (sandbox: Sandbox) => Promise<void>,
): Promise<void> {
  const sandbox = await startSandbox({ scenario: 'demo', overrides });
  process.env.SLUICE_CLIENT_SECRET = sandbox.orgs[0]!.clientSecret;
  try {
    await test(sandbox);
  } finally {
    delete process.env.SLUICE_CLIENT_SECRET;
    await sandbox.stop();
  }
}

/** Runs `sluice upload` into `listId`; returns the exit code and what it wrote to stderr. */
async function upload(
  sandbox: Sandbox,
  listId: string,
  csvPath: string,
  extra: string[],
): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const before = process.exitCode;
  try {
    const code = await main([
      'node',
      'sluice',
      'upload',
      '--csv',
      csvPath,
      '--list',
      listId,
      '--api-url',
      sandbox.url,
      '--client-id',
      sandbox.orgs[0]!.clientId,
      '--auto-map',
      '--id-column',
      'CrmId',
      '--run-dir',
      join(folder, 'runs'),
      '--json',
      ...extra,
    ]);
    return { code, stderr };
  } finally {
    process.exitCode = before;
    spyErr.mockRestore();
    spyOut.mockRestore();
  }
}

describe('sluice upload (docs/GENESYS.md#contact-do-not-queue, #list-capacity)', () => {
  sandboxOnly(
    '#contact-do-not-queue (SDK 262 OutboundApi.js): sluice upload sends doNotQueue=true; --requeue-updated --priority send doNotQueue=false, priority=true',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'cli-flags');
        const file = writeScratchCsv(folder, 'cli-flags', 30);
        expect((await upload(sandbox, listId, file, [])).code).toBe(0);
        const defaults = contactPosts(sandbox);
        expect(defaults.length).toBeGreaterThan(0);
        for (const post of defaults)
          expect(post.query).toMatchObject({ doNotQueue: 'true', priority: 'false' });
        sandbox.inspect.markDialed(listId);
        sandbox.inspect.clearRequests();
        const again = await upload(sandbox, listId, file, ['--requeue-updated', '--priority']);
        expect(again.code).toBe(0);
        expectRequeuedWithPriority(sandbox, listId);
      }),
  );

  sandboxOnly(
    '#list-capacity (help "Create a new contact list"): sluice upload refuses a file the list cannot take, before any contact is sent',
    'needs a list cap lowered to 50',
    () =>
      withSandbox({ rules: { maxContactsPerList: 50 } }, async (sandbox) => {
        const listId = scratchList(sandbox, 'cli-capacity');
        const result = await upload(
          sandbox,
          listId,
          writeScratchCsv(folder, 'cli-capacity', 51),
          [],
        );
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
          /holds 0 contacts and this file has 51 rows: together they pass the 50 contacts/,
        );
        expect(contactPosts(sandbox)).toEqual([]);
        expect(sandbox.inspect.contacts(listId)).toHaveLength(0);
      }),
  );
});
