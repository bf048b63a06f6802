import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANCELLED_NOT_SENT_CODE, type RunSummary } from '../../core/contract';
import { readJournal } from '../../core/engine/journal/journal';
import type { Sandbox, SandboxOptions } from '../../core/sandbox';
import { startAppRuntime, type AppRuntime } from '../../core/services/app-runtime';
import { runFinished } from '../support/app-runtime-runs';
import { contactPosts, expectWrittenOnce } from '../support/exactly-once';
import { spawnSluice } from '../support/sluice-cli';
import { sluiceCliHarness } from '../support/sluice-cli-harness';
import {
  clientRateLimit,
  CONTACTS_POST,
  contactId,
  newList,
  rowData,
  TEST_COLUMNS,
} from '../support/upload-fixtures';

// A run the app cancelled part-way is finished by `sluice resume RUN` (docs/ARCHITECTURE.md,
// "Cancel and the rest of the file"): the rows read before the cancel and never sent, and the
// rows never read, go to Genesys once each. The app's services run in this process on the data
// folder the real `sluice` child process is given (SLUICE_DATA_DIR), signed in to a saved org
// at the test's Sandbox, where exactly-once is checked.

const cli = sluiceCliHarness('sluice-cancel-resume-');
const dataFolder = join(cli.root, 'data');
const ROWS = 3000;
const BATCH = 50;
const PREFIX = 'cr';

let runtime: AppRuntime | undefined;
let orgId: string | undefined;
afterEach(async () => {
  if (runtime && orgId) await runtime.services['orgs:remove']({ id: orgId });
  await runtime?.close();
  runtime = undefined;
  orgId = undefined;
});

/** The app's services on `folder`, with its built-in Sandbox org when `builtIn` is given. */
async function openApp(folder: string, builtIn?: SandboxOptions): Promise<AppRuntime> {
  runtime = await startAppRuntime({
    version: '0.0.0',
    dataFolder: folder,
    shell: 'web-host',
    sandbox: builtIn ?? false,
    keychainService: `sluice-cancel-resume-${process.pid}`,
  });
  return runtime;
}

/** Saves an org at `sandbox` in the app (as the Orgs screen does); its id. */
async function saveOrg(app: AppRuntime, sandbox: Sandbox): Promise<string> {
  const tenant = sandbox.orgs[0]!;
  const added = await app.services['orgs:add']({
    name: 'Acme',
    region: 'custom',
    apiUrl: sandbox.url,
    authMethod: 'client-credentials',
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
  });
  orgId = added.id;
  return added.id;
}

/** A CSV of `ROWS` rows with ids `cr-1`…, in the data folder (where the app may read). */
function writeCsv(folder: string): string {
  const lines = [TEST_COLUMNS.join(',')];
  for (let n = 1; n <= ROWS; n += 1) {
    const data = rowData(PREFIX, n);
    lines.push(TEST_COLUMNS.map((column) => data[column]).join(','));
  }
  const path = join(folder, 'cancelled.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const everyContact = () =>
  new Map(
    Array.from({ length: ROWS }, (_, index) => [
      contactId(PREFIX, index + 1),
      rowData(PREFIX, index + 1),
    ]),
  );

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !condition(); waitedMs += 25) {
    if (waitedMs > 30_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Starts a run of a new CSV of `ROWS` rows in `folder` (the app's data folder) into `listId` of
 * org `org`, after the whole-file check the Upload screen runs first (so the run knows the file's
 * rows); cancels it once `sandbox` stores 300 of them and resolves with its summary.
 */
async function cancelMidRun(
  app: AppRuntime,
  folder: string,
  org: string,
  sandbox: Sandbox,
  listId: string,
): Promise<RunSummary> {
  const csvPath = writeCsv(folder);
  const inspection = await app.services['csv:inspect']({ path: csvPath });
  const source = { kind: 'list', orgId: org, listId } as const;
  const matched = await app.services['csv:autoMatch']({ headers: inspection.headers, source });
  const mapping = {
    ...matched.mapping,
    contactId: { kind: 'column' as const, column: 'AccountId' },
  };
  const checked = await app.services['csv:check']({
    jobId: 'check-cancelled',
    path: csvPath,
    source,
    mapping,
    maxErrorRows: 10,
  });
  expect(checked).toMatchObject({ rowsRead: ROWS, rejected: 0 });
  const { runId } = await app.services['runs:start']({
    orgId: org,
    listId,
    csvPath,
    mapping,
    strategy: 'contacts',
    headroomPercent: 10,
    batchSize: BATCH,
  });
  const finished = runFinished(app, runId);
  await waitFor(() => sandbox.inspect.contacts(listId).length >= 300, 'the run to upload');
  await app.services['runs:cancel']({ runId });
  const cancelled = await finished;
  expect(cancelled.state).toBe('cancelled');
  return cancelled;
}

/** The rows of a run's journal failed with `code`. */
const failedWith = (runDir: string, code: string): number[] =>
  [...readJournal(runDir).details.values()]
    .filter((row) => row.code === code)
    .map((row) => row.row);

describe('sluice resume of a run the app cancelled', () => {
  it('sends every row the cancel left unsent and every row never read, once each', async () => {
    // 12 requests a second (the app keeps 10 % for the customer): 60 batches take about five
    // seconds, so a cancel at the 300th stored contact lands with most of the file unsent.
    const sandbox = await cli.startSandbox({ scenario: 'demo', overrides: clientRateLimit(12) });
    const listId = newList(sandbox, 'Cancelled in the app');
    const app = await openApp(dataFolder);
    const org = await saveOrg(app, sandbox);
    const cancelled = await cancelMidRun(app, dataFolder, org, sandbox, listId);
    const { runId } = cancelled;
    const runDir = join(dataFolder, 'runs', runId);

    // The cancel left both kinds of rest: rows read and never sent, and rows never read.
    expect(cancelled.invariant).toEqual({ holds: true, problems: [] });
    const notSent = cancelled.notSent ?? 0;
    expect(notSent).toBeGreaterThan(0);
    expect(cancelled.rowsRead).toBeLessThan(ROWS);
    const notRead = ROWS - cancelled.rowsRead;
    // A rate limit answers 429s, never "maybe stored": every failed row is one never sent.
    expect(cancelled.failed).toBe(notSent);
    expect(failedWith(runDir, CANCELLED_NOT_SENT_CODE)).toHaveLength(notSent);
    expect(readJournal(runDir).outcomes.size).toBe(cancelled.rowsRead);
    // Genesys holds exactly the rows acknowledged before the cancel, once each.
    const storedBefore = sandbox.inspect.contacts(listId);
    expect(storedBefore).toHaveLength(cancelled.uploaded);
    expect(sandbox.inspect.contactWrites(listId).every((record) => record.writes === 1)).toBe(true);

    // `sluice runs` says which of the failed rows were never sent, and how to send them.
    const listed = await cli.spawn(['runs']).done;
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      `failed ${cancelled.failed} (${notSent} never sent: sluice resume sends them)`,
    );

    // The CLI, on the same data folder, with the org the app saved (its secret from the env).
    const requestsBefore = sandbox.inspect.requests().length;
    const resumed = await cli.spawn(['resume', runId, '--json']).done;
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const line = JSON.parse(resumed.stdout.trim().split('\n').at(-1) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(line).toMatchObject({
      runId,
      rowsRead: ROWS,
      uploaded: ROWS,
      rejected: 0,
      failed: 0,
      skipped: 0,
      runDir,
    });
    // A completed run has nothing left to send: no rest in its line.
    expect(line).not.toHaveProperty('notSent');
    expect(line).not.toHaveProperty('notRead');

    // The Sandbox holds every contact of the file, each written exactly once.
    expectWrittenOnce(sandbox, listId, everyContact(), () => true);
    // The resume sent the rest and nothing else: its accepted posts carry its rows only.
    const sentRows = ROWS - cancelled.uploaded;
    expect(sentRows).toBe(notSent + notRead);
    const accepted = sandbox.inspect
      .requests()
      .slice(requestsBefore)
      .filter(
        (entry) =>
          entry.method === 'POST' && CONTACTS_POST.test(entry.path) && entry.status === 200,
      ).length;
    expect(accepted).toBe(Math.ceil(sentRows / BATCH));
    expect(contactPosts(sandbox, requestsBefore)).toBeGreaterThanOrEqual(accepted);

    // The run's own records: every row uploaded, none left failed with the cancel's code.
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: ROWS,
      uploaded: ROWS,
      failed: 0,
      notSent: 0,
    });
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
    expect(summary.rowsRead, 'rows read = uploaded + rejected + failed + skipped').toBe(
      summary.uploaded + summary.rejected + summary.failed + summary.skipped,
    );
    expect(failedWith(runDir, CANCELLED_NOT_SENT_CODE)).toEqual([]);
    const journal = readJournal(runDir);
    expect(journal.outcomes.size).toBe(ROWS);
    expect([...journal.outcomes.values()].every((outcome) => outcome === 'uploaded')).toBe(true);
  }, 60_000);
  it('of the built-in Sandbox org says where it runs, and resumes with the --api-url it is given', async () => {
    // The app's own Sandbox org (no saved profile): the CLI cannot find it by name.
    const folder = join(cli.root, 'data-built-in');
    const app = await openApp(folder, { scenario: 'demo', overrides: clientRateLimit(12) });
    const sandbox = app.sandbox!;
    const listId = newList(sandbox, 'Cancelled in the built-in Sandbox');
    const { runId, uploaded } = await cancelMidRun(app, folder, 'sandbox', sandbox, listId);
    const env = {
      SLUICE_DATA_DIR: folder,
      SLUICE_CLIENT_SECRET: sandbox.orgs[0]!.clientSecret,
    };

    const refused = await spawnSluice(['resume', runId, '--json'], { env }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `sluice: Run ${runId} went to the built-in Sandbox org, which runs only inside the Sluice app: continue it there (its run view or History). While the app still runs the Sandbox it used, give --api-url ${sandbox.url} with its client secret in SLUICE_CLIENT_SECRET.\n`,
    );
    expect(sandbox.inspect.contacts(listId)).toHaveLength(uploaded);

    const resumed = await spawnSluice(['resume', runId, '--api-url', sandbox.url, '--json'], {
      env,
    }).done;
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      runId,
      rowsRead: ROWS,
      uploaded: ROWS,
      failed: 0,
    });
    expectWrittenOnce(sandbox, listId, everyContact(), () => true);
  }, 60_000);
});
