import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunSummary } from '../../core/contract/runs';
import { UploadRun } from '../../core/engine/contacts/contacts-run';
import {
  createFetchTransport,
  defaultContactWriteOptions,
  type ContactWriteOptions,
} from '../../core/engine/contacts/transport';
import type { UploadRunOptions } from '../../core/engine/run/run-options';
import { OrgLimiter } from '../../core/engine/throttle/org-limiter';
import type { SourceRow } from '../../core/engine/types';
import {
  startSandbox,
  type DeepPartial,
  type RequestLogEntry,
  type Sandbox,
  type SandboxConfig,
} from '../../core/sandbox';
import { SANDBOX_LIST } from './target';
import { orgTokenSource } from '../support/sandbox-sdk';

/**
 * The engine's side of the fidelity tests: an `UploadRun` of the real engine (fetch transport,
 * org limiter, response policy) against a Sandbox, so a test can check on the Sandbox's request
 * log and contact records what the engine sent.
 */

/** A folder for run journals; remove it with `removeRunsFolder`. */
export function runsFolder(): string {
  return mkdtempSync(join(tmpdir(), 'sluice-fidelity-engine-'));
}

export function removeRunsFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}

/** `count` rows for the Sandbox scratch list (`CrmId`, `FirstName`, `Phone`), ids `${prefix}N`. */
export function scratchRows(count: number, prefix: string): () => AsyncIterable<SourceRow> {
  return async function* () {
    for (let n = 1; n <= count; n += 1) {
      yield {
        rowNumber: n + 1,
        ok: true,
        contact: {
          id: `${prefix}${n}`,
          data: {
            CrmId: `${prefix}${n}`,
            FirstName: `Name ${n}`,
            Phone: `+1317555${String(n).padStart(4, '0')}`,
          },
        },
      };
    }
  };
}

/**
 * Writes `folder/<name>.csv` for the scratch list with `rows` data rows, the same rows
 * `scratchRows` yields with prefix 'C'; `header` replaces the list's columns (a mismatch test).
 */
export function writeScratchCsv(
  folder: string,
  name: string,
  rows: number,
  header: string[] = SANDBOX_LIST.columnNames,
): string {
  const path = join(folder, `${name}.csv`);
  const lines = [header.join(',')];
  for (let n = 1; n <= rows; n += 1)
    lines.push(`C${n},Name ${n},+1317555${String(n).padStart(4, '0')}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** One engine run: where its journal goes, its id, its rows and the knobs a test turns. */
export interface EngineRunOptions {
  folder: string;
  runId: string;
  source: () => AsyncIterable<SourceRow>;
  batchSize?: number;
  writeOptions?: ContactWriteOptions;
  extra?: Partial<UploadRunOptions>;
}

/** Runs the engine once into `listId` of the Sandbox's first org and returns the summary. */
export async function runEngine(
  sandbox: Sandbox,
  listId: string,
  options: EngineRunOptions,
): Promise<RunSummary> {
  return engineRun(sandbox, listId, options).start();
}

/** The engine run itself, for tests that watch or pause it. */
export function engineRun(sandbox: Sandbox, listId: string, options: EngineRunOptions): UploadRun {
  const org = sandbox.orgs[0];
  if (org === undefined) throw new Error('The Sandbox has no org.');
  return new UploadRun({
    runId: options.runId,
    runDir: join(options.folder, options.runId),
    orgName: org.name,
    contactListId: listId,
    source: options.source,
    limiter: new OrgLimiter({ backoff: { baseDelayMs: 50, maxDelayMs: 500 } }),
    tokenSource: orgTokenSource(sandbox),
    transport: createFetchTransport({
      apiUrl: sandbox.url,
      timeoutMs: 5000,
      writeOptions: options.writeOptions ?? defaultContactWriteOptions,
    }),
    batchLimits: { maxContacts: options.batchSize ?? 100 },
    retryBackoff: { baseDelayMs: 20, maxDelayMs: 200 },
    ...options.extra,
  });
}

/** A fresh scratch list in the Sandbox's first org. */
export function scratchList(sandbox: Sandbox, name: string): string {
  const org = sandbox.orgs[0];
  if (org === undefined) throw new Error('The Sandbox has no org.');
  return sandbox.inspect.createContactList(org.id, { ...SANDBOX_LIST, name }).id;
}

/** The contact POSTs of the request log, in order. */
export function contactPosts(sandbox: Sandbox): RequestLogEntry[] {
  return sandbox.inspect
    .requests()
    .filter((entry) => entry.method === 'POST' && entry.path.endsWith('/contacts'));
}

/**
 * Every contact POST since the request log was cleared asked to re-queue updated contacts with
 * priority (`doNotQueue=false`, `priority=true`), and every contact of the list is queued again,
 * first (docs/GENESYS.md#contact-do-not-queue, #contact-priority).
 */
export function expectRequeuedWithPriority(sandbox: Sandbox, listId: string): void {
  for (const post of contactPosts(sandbox))
    expect(post.query).toMatchObject({ doNotQueue: 'false', priority: 'true' });
  for (const record of sandbox.inspect.contactWrites(listId))
    expect(record).toMatchObject({ queueState: 'queued', queuedWithPriority: true });
}

/** Starts a demo Sandbox with `overrides`, runs `test` against it, and always stops it. */
export async function withSandbox(
  overrides: DeepPartial<SandboxConfig>,
  test: (sandbox: Sandbox) => Promise<void>,
): Promise<void> {
  const sandbox = await startSandbox({ scenario: 'demo', overrides });
  try {
    await test(sandbox);
  } finally {
    await sandbox.stop();
  }
}
