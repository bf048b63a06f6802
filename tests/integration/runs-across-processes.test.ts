import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../core/contract';
import { readJournal } from '../../core/engine/journal/journal';
import { LOCK_FILE } from '../../core/engine/run/run-lock';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { contactPosts, expectWrittenOnce, writesById } from '../support/exactly-once';
import { connectHost, startHostProcess, type HostClient } from '../support/host-socket';
import {
  clientRateLimit,
  contactId,
  newList,
  rowData,
  TEST_COLUMNS,
} from '../support/upload-fixtures';
import { spawnSluice } from '../support/sluice-cli';

// A run outlives the process that started it: the web host killed mid-run and started again,
// a run paused in the app and resumed by the CLI, and one the CLI paused resumed by the app.
// Real processes (the host's dist bundle, bin/sluice.js) on one data folder; the Sandbox lives
// in this process so it outlives them, and it is where exactly-once is checked.

const ORG_NAME = 'Across processes';
const BATCH = 20;
let sandbox: Sandbox;
let root: string;
let dataFolder: string;
const secretEnv = (): NodeJS.ProcessEnv => ({
  SLUICE_DATA_DIR: dataFolder,
  SLUICE_KEYCHAIN_SERVICE: `sluice-across-${process.pid}`,
});

beforeAll(async () => {
  // 8 requests a second: a run of 600 rows in batches of 20 takes about four seconds, so a
  // kill or a pause triggered by the Sandbox's count lands mid-run even on a loaded machine.
  sandbox = await startSandbox({
    scenario: 'demo',
    overrides: clientRateLimit(8),
  });
  root = mkdtempSync(join(tmpdir(), 'sluice-across-'));
  dataFolder = join(root, 'data');
});
afterAll(async () => {
  await sandbox?.stop();
  rmSync(root, { recursive: true, force: true });
});

function writeCsv(prefix: string, rows: number): string {
  const lines = [TEST_COLUMNS.join(',')];
  for (let n = 1; n <= rows; n += 1) {
    const data = rowData(prefix, n);
    lines.push(TEST_COLUMNS.map((column) => data[column]).join(','));
  }
  const path = join(root, `${prefix}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function expected(prefix: string, rows: number): Map<string, Record<string, string>> {
  return new Map(
    Array.from({ length: rows }, (_, index) => [
      contactId(prefix, index + 1),
      rowData(prefix, index + 1),
    ]),
  );
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !condition(); waitedMs += 50) {
    if (waitedMs > 60_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A host on the shared data folder, its org signed in with the Sandbox secret. */
async function openHost() {
  const host = await startHostProcess(dataFolder, root, secretEnv());
  const client = await connectHost(host);
  const orgs = await client.call<Array<{ id: string; name: string }>>('orgs:list', {});
  const org = sandbox.orgs[0]!;
  let orgId = orgs.find((entry) => entry.name === ORG_NAME)?.id;
  if (orgId === undefined) {
    orgId = (
      await client.call<{ id: string }>('orgs:add', {
        name: ORG_NAME,
        region: 'custom',
        apiUrl: sandbox.url,
        authMethod: 'client-credentials',
        clientId: org.clientId,
        clientSecret: org.clientSecret,
      })
    ).id;
  } else {
    // Without an OS keychain the secret lived in the last host's memory: give it again.
    await client.call('orgs:update', { id: orgId, clientSecret: org.clientSecret });
  }
  return { child: host.child, exited: host.exited, client, orgId };
}

async function startRun(client: HostClient, orgId: string, listId: string, csvPath: string) {
  const inspection = await client.call<{ headers: string[] }>('csv:inspect', { path: csvPath });
  const matched = await client.call<{ mapping: Record<string, unknown> }>('csv:autoMatch', {
    headers: inspection.headers,
    source: { kind: 'list', orgId, listId },
  });
  return client.call<{ runId: string }>('runs:start', {
    orgId,
    listId,
    csvPath,
    mapping: { ...matched.mapping, contactId: { kind: 'column', column: 'AccountId' } },
    strategy: 'contacts',
    headroomPercent: 10,
    batchSize: BATCH,
  });
}

function sluice(args: string[], onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void) {
  const { child, done } = spawnSluice(args, {
    env: { ...secretEnv(), SLUICE_CLIENT_SECRET: sandbox.orgs[0]!.clientSecret },
  });
  onSpawn?.((signal) => child.kill(signal));
  return done;
}

const runsDir = () => join(dataFolder, 'runs');
/** The CSV rows (1 = the first data row) the run's journal holds as uploaded. */
const acknowledgedRows = (runId: string): number[] =>
  [...readJournal(join(runsDir(), runId)).outcomes]
    .filter(([, outcome]) => outcome === 'uploaded')
    // the journal numbers rows by file line, and the header is line 1
    .map(([line]) => line - 1);
const uploadedInJournal = (runId: string) => acknowledgedRows(runId).length;

describe('a run outlives the process that started it', () => {
  it('the web host is SIGKILLed mid-run, started again, and the run resumes: every row once', async () => {
    const rows = 600;
    const listId = newList(sandbox, 'Host killed');
    const first = await openHost();
    const { runId } = await startRun(first.client, first.orgId, listId, writeCsv('killed', rows));
    await waitFor(() => sandbox.inspect.contacts(listId).length >= 100, 'the run to upload');
    first.child.kill('SIGKILL');
    await first.exited;
    first.client.close();
    const before = sandbox.inspect.contacts(listId).length;
    expect(before).toBeLessThan(rows);
    // The dead host left its lock (its pid is gone, so it is stale) and a run that says running.
    expect(existsSync(join(runsDir(), runId, LOCK_FILE))).toBe(true);
    const acknowledgedIds = acknowledgedRows(runId).map((row) => contactId('killed', row));
    const acknowledged = acknowledgedIds.length;
    expect(acknowledged).toBeGreaterThan(0);
    expect(acknowledged).toBeLessThan(rows);

    const second = await openHost();
    try {
      const listed = await second.client.call<RunSummary[]>('runs:list', {});
      expect(listed.find((run) => run.runId === runId)?.state).toBe('paused');
      const requestsBefore = sandbox.inspect.requests().length;
      const finished = second.client.next<RunSummary>('runs:finished', (s) => s.runId === runId);
      await second.client.call('runs:resume', { runId });
      const summary = await finished;
      expect(summary).toMatchObject({ state: 'completed', rowsRead: rows, uploaded: rows });
      expect(summary.invariant).toEqual({ holds: true, problems: [] });
      // Only batches in flight at the kill (one per worker at most) were committed without
      // a journal line: only they are written twice, and the resume sent nothing else.
      expectWrittenOnce(sandbox, listId, expected('killed', rows), () => true, {
        min: 1,
        max: 2,
      });
      const writes = writesById(sandbox, listId);
      const twice = [...writes.values()].filter((n) => n === 2).length;
      expect(twice).toBeLessThanOrEqual(16 * BATCH);
      // What the journal held as acknowledged was never sent again.
      expect(acknowledgedIds.filter((id) => writes.get(id) !== 1)).toEqual([]);
      expect(contactPosts(sandbox, requestsBefore)).toBeLessThanOrEqual(
        Math.ceil((rows - acknowledged) / BATCH) + 16,
      );
    } finally {
      second.client.close();
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);

  it('a run paused in the app is resumed by the CLI: every row once', async () => {
    const rows = 600;
    const listId = newList(sandbox, 'App to CLI');
    const app = await openHost();
    let runId = '';
    try {
      ({ runId } = await startRun(app.client, app.orgId, listId, writeCsv('app2cli', rows)));
      await waitFor(() => sandbox.inspect.contacts(listId).length >= 60, 'the run to upload');
      const paused = app.client.next<RunSummary>('runs:finished', (s) => s.runId === runId);
      await app.client.call('runs:pause', { runId });
      expect((await paused).state).toBe('paused');
      // While the app holds the paused run, the CLI is refused.
      const refused = await sluice(['resume', runId, '--json']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`Run ${runId} is open in another Sluice process`);
    } finally {
      app.client.close();
      app.child.kill('SIGTERM');
      await app.exited;
    }
    // Closing the app let the run go (its lock is removed at exit, or left by a process that is
    // gone, which is stale): the CLI resumes it with the org the app saved.
    const resumed = await sluice(['resume', runId, '--json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      runId,
      rowsRead: rows,
      uploaded: rows,
    });
    expectWrittenOnce(sandbox, listId, expected('app2cli', rows), () => true);
  }, 120_000);

  it('a run the CLI paused (Ctrl-C) is resumed by the app: every row once', async () => {
    const rows = 600;
    const listId = newList(sandbox, 'CLI to app');
    const csv = writeCsv('cli2app', rows);
    const paused = await sluice(
      ['upload', '--csv', csv, '--list', listId, '--org', ORG_NAME, '--auto-map'].concat([
        '--id-column',
        'AccountId',
        '--batch-size',
        String(BATCH),
        '--json',
      ]),
      (kill) => {
        void waitFor(() => sandbox.inspect.contacts(listId).length >= 60, 'the CLI upload').then(
          () => kill('SIGINT'),
        );
      },
    );
    expect(paused.code).toBe(1);
    const { runId } = JSON.parse(paused.stdout.trim().split('\n').at(-1)!) as { runId: string };
    expect(uploadedInJournal(runId)).toBeLessThan(rows);

    const app = await openHost();
    try {
      const finished = app.client.next<RunSummary>('runs:finished', (s) => s.runId === runId);
      await app.client.call('runs:resume', { runId });
      const summary = await finished;
      expect(summary).toMatchObject({ state: 'completed', rowsRead: rows, uploaded: rows });
      expect(summary.invariant.holds).toBe(true);
      expectWrittenOnce(sandbox, listId, expected('cli2app', rows), () => true);
      expect(JSON.parse(readFileSync(join(runsDir(), runId, 'run.json'), 'utf8'))).toMatchObject({
        profileId: app.orgId,
      });
      // The org and its secret go with the test.
      await app.client.call('orgs:remove', { id: app.orgId });
    } finally {
      app.client.close();
      app.child.kill('SIGTERM');
      await app.exited;
    }
  }, 120_000);
});
