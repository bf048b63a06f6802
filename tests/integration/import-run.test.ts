import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RunMetrics, RunSummary } from '../../core/contract/runs';
import { IMPORT_FILE, ImportRun, type ImportRunOptions } from '../../core/engine/import/import-run';
import { openRunSession } from '../../core/engine/run/run-session';
import { readJournal } from '../../core/engine/journal/journal';
import { RunManager } from '../../core/engine/run/run-manager';
import { autoMapping, hashContactId, readContactListSchema } from '../../core/csv';
import type { RunEvent } from '../../core/engine/run/run-options';
import { openJournalSink, type JournalSink } from '../../core/engine/journal/run-ledger';
import type { SourceRow } from '../../core/engine/types';
import {
  startSandbox,
  type DeepPartial,
  type Sandbox,
  type SandboxConfig,
} from '../../core/sandbox';
import { orgTokenSource } from '../support/sandbox-sdk';

const root = mkdtempSync(join(tmpdir(), 'sluice-import-run-'));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLUMNS = ['CustomerId', 'Phone', 'Name', 'Note'];

/** Values a CSV writer gets wrong: separators, quotes, line breaks, formula-like and edge spaces. */
function note(n: number): string {
  return ['plain', 'a, comma', 'say "hi"', 'two\nlines', '=SUM(A1)', ' padded ', ''][n % 7] ?? '';
}

function contactRow(n: number, id = `C${n}`): SourceRow {
  return {
    rowNumber: n + 1,
    ok: true,
    contact: {
      id,
      data: { CustomerId: `C${n}`, Phone: `+1317${2000000 + n}`, Name: `Name ${n}`, Note: note(n) },
    },
  };
}

function rows(count: number, extra: (n: number) => SourceRow | undefined = () => undefined) {
  return async function* (): AsyncGenerator<SourceRow> {
    for (let n = 1; n <= count; n += 1) yield extra(n) ?? contactRow(n);
  };
}

/** What every run of a test shares: the Sandbox org, its list and fast polling. */
type BaseOptions = Omit<ImportRunOptions, 'runId' | 'runDir' | 'source'>;

async function setup(
  overrides: DeepPartial<SandboxConfig>,
): Promise<{ listId: string; base: BaseOptions }> {
  sandbox = await startSandbox({ scenario: 'demo', overrides });
  const org = sandbox.orgs[0];
  if (!org) throw new Error('the sandbox has no org');
  const listId = sandbox.inspect.createContactList(org.id, {
    name: `Import ${Math.random()}`,
    columnNames: COLUMNS,
    phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
  }).id;
  const tokenSource = orgTokenSource(sandbox);
  return {
    listId,
    base: {
      orgName: org.name,
      contactListId: listId,
      apiUrl: sandbox.url,
      tokenSource,
      listColumns: COLUMNS,
      pollIntervalMs: 40,
      sizePollIntervalMs: 100,
      noStatusSettleMs: 400,
      metricsIntervalMs: 100,
      retryBackoff: { baseDelayMs: 20, maxDelayMs: 200 },
    },
  };
}

async function run(
  options: ImportRunOptions,
): Promise<{ summary: RunSummary; events: RunEvent[] }> {
  const importRun = new ImportRun(options);
  const events: RunEvent[] = [];
  importRun.on((event) => events.push(event));
  const summary = await importRun.start();
  return { summary, events };
}

/** Options of a run named `runId` with its own folder under `root`; `more` adds to or overrides `base`. */
function named(
  base: BaseOptions,
  runId: string,
  more: Partial<ImportRunOptions> & Pick<ImportRunOptions, 'source'>,
): ImportRunOptions {
  return { ...base, runId, runDir: join(root, runId), ...more };
}

/** The run completed, the accounting invariant holds, and the counts are as given. */
function expectCompleted(summary: RunSummary, counts: Partial<RunSummary>): void {
  expect(summary).toMatchObject({ state: 'completed', ...counts, invariant: { holds: true } });
}

/** Cancels the run as soon as a metrics tick shows Genesys importing (uploaded > 0). */
function cancelWhenImporting(importRun: ImportRun): void {
  importRun.on((event) => {
    if (event.type === 'metrics' && event.metrics.uploaded > 0) importRun.cancel();
  });
}

function metricsOf(events: RunEvent[]): RunMetrics[] {
  return events.flatMap((event) => (event.type === 'metrics' ? [event.metrics] : []));
}

describe('ImportRun against the sandbox', () => {
  it('imports 2,000 rows once each, accounts the refused ones and reports progress', async () => {
    const { listId, base } = await setup({ importRowsPerSecond: 2000, importStatusMinRows: 100 });
    const options = named(base, 'big', {
      contactIdColumn: 'CustomerId',
      source: rows(2003, (n) => {
        if (n === 2001)
          return {
            rowNumber: n + 1,
            ok: false,
            reason: 'Phone is not a number',
            data: { Phone: 'abc' },
          };
        if (n === 2002) return { ...contactRow(5), rowNumber: n + 1 }; // the contact id of row 6
        if (n === 2003)
          return {
            rowNumber: n + 1,
            ok: true,
            contact: { id: 'X', data: { CustomerId: 'X', Shoe: '42' } },
          };
        return undefined;
      }),
    });
    const { runDir } = options;
    const { summary, events } = await run(options);

    expect(RunSummary.parse(summary)).toMatchObject({
      strategy: 'import',
      state: 'completed',
      rowsRead: 2003,
      uploaded: 2000,
      rejected: 2,
      failed: 0,
      skipped: 1,
      invariant: { holds: true, problems: [] },
    });
    const stored = sandbox!.inspect.contacts(listId);
    expect(stored).toHaveLength(2000);
    expect(new Set(stored.map((c) => c.id)).size).toBe(2000);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 1999]) {
      const expected = (contactRow(n) as Extract<SourceRow, { ok: true }>).contact;
      expect(stored.find((c) => c.id === expected.id)?.data).toEqual(expected.data);
    }

    const metrics = metricsOf(events);
    for (const tick of metrics) RunMetrics.parse(tick);
    expect(metrics.some((tick) => tick.uploaded > 0 && tick.uploaded < 2000)).toBe(true);
    expect(metrics.at(-1)).toMatchObject({ uploaded: 2000, pending: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'finished', summary: { uploaded: 2000 } });

    expect(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'))).toMatchObject({
      uploaded: 2000,
      strategy: 'import',
    });
    const rejected = readFileSync(join(runDir, 'rejected-rows.csv'), 'utf8');
    expect(rejected).toContain('Phone is not a number');
    expect(rejected).toMatch(/Column ""Shoe"" is not in the contact list/);
    expect(existsSync(join(runDir, IMPORT_FILE))).toBe(false);
    const journal = readJournal(runDir);
    expect(journal.sessions).toBe(1);
    expect([...journal.outcomes.values()].filter((o) => o === 'uploaded')).toHaveLength(2000);
  });

  it('ends from the status once it reads 100 percent with no state (docs/GENESYS.md#import-status-states): no size fallback', async () => {
    const { listId, base } = await setup({
      importRowsPerSecond: 4000,
      importFinishedState: 'omitted',
    });
    sandbox!.inspect.clearRequests();
    const { summary } = await run(
      named(base, 'status-done', { contactIdColumn: 'CustomerId', source: rows(1200) }),
    );
    expectCompleted(summary, { uploaded: 1200 });
    // Decided by the status, not by the list size settling: no note, and no size read after the upload.
    expect(summary.stateReason).toBeUndefined();
    const log = sandbox!.inspect.requests();
    const uploadAt = log.findIndex((entry) => entry.path.startsWith('/uploads/'));
    expect(uploadAt).toBeGreaterThan(0);
    const after = log.slice(uploadAt + 1);
    expect(after.some((entry) => entry.path.endsWith('/importstatus'))).toBe(true);
    expect(
      after.filter((entry) => entry.path === `/api/v2/outbound/contactlists/${listId}`),
    ).toEqual([]);
    expect(sandbox!.inspect.contacts(listId)).toHaveLength(1200);
  });

  it('ends from the status when it stays IN_PROGRESS at 100 percent', async () => {
    const { listId, base } = await setup({
      importRowsPerSecond: 4000,
      importFinishedState: 'IN_PROGRESS',
    });
    const { summary } = await run(
      named(base, 'status-in-progress', { contactIdColumn: 'CustomerId', source: rows(500) }),
    );
    expectCompleted(summary, { uploaded: 500 });
    expect(summary.stateReason).toBeUndefined();
    expect(sandbox!.inspect.contacts(listId)).toHaveLength(500);
  });

  it('words CONTACT_COLUMNS_LIMIT_EXCEEDED: the extra id column of hash ids takes a full list past its cap', async () => {
    const { base } = await setup({ importRowsPerSecond: 4000 });
    const columns = [...COLUMNS, ...Array.from({ length: 46 }, (_, i) => `Extra${i + 1}`)];
    const full = sandbox!.inspect.createContactList(sandbox!.orgs[0]!.id, {
      name: 'Full list',
      columnNames: columns,
      phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
    });
    const { summary } = await run(
      named(base, 'columns', {
        contactListId: full.id,
        listColumns: columns,
        source: rows(30, (n) => contactRow(n, `hash-${n}`)),
      }),
    );
    expect(summary).toMatchObject({ uploaded: 0, failed: 30, invariant: { holds: true } });
    expect(summary.stateReason).toContain(
      'the file adds 1 column ("SluiceContactId") to a list of 50; Genesys allows 50',
    );
    expect(sandbox!.inspect.contacts(full.id)).toHaveLength(0);
  });

  it('completes a small import that never reports a status through the list size (hash ids in an extra column)', async () => {
    const { listId, base } = await setup({ importRowsPerSecond: 5000, importStatusMinRows: 1000 });
    const { summary } = await run(
      named(base, 'small', { source: rows(50, (n) => contactRow(n, `hash-${n}`)) }),
    );
    expectCompleted(summary, { rowsRead: 50, uploaded: 50 });
    expect(summary.stateReason).toMatch(/no import status.*grew by 50/);
    // Hash ids need a column of their own: the run says so, and the Sandbox shows Genesys adding it.
    expect(summary.stateReason).toMatch(/extra column "SluiceContactId".*map a unique list column/);
    const ids = sandbox!.inspect
      .contacts(listId)
      .map((c) => c.id)
      .sort();
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => `hash-${i + 1}`).sort());
    expect(sandbox!.inspect.contacts(listId).find((c) => c.id === 'hash-3')?.data).toMatchObject({
      SluiceContactId: 'hash-3',
    });
  });

  it('does not take the status of an earlier import for this one: a small re-import settles on the size', async () => {
    const { listId, base } = await setup({ importRowsPerSecond: 5000, importStatusMinRows: 100 });
    const first = await run(
      named(base, 'first', { contactIdColumn: 'CustomerId', source: rows(150) }),
    );
    expect(first.summary.stateReason).toBeUndefined();
    const again = await run(
      named(base, 'again', { contactIdColumn: 'CustomerId', source: rows(40) }),
    );
    expectCompleted(again.summary, { uploaded: 40 });
    expect(again.summary.stateReason).toMatch(/grew by 0 contacts for 40 rows/);
    expect(sandbox!.inspect.contacts(listId)).toHaveLength(150);
  });

  it('records every row as failed with the reason when Genesys fails the import', async () => {
    const { listId, base } = await setup({
      importRowsPerSecond: 4000,
      importStatusMinRows: 10,
      rules: { maxContactsPerList: 1000 },
    });
    const options = named(base, 'failed', { contactIdColumn: 'CustomerId', source: rows(1500) });
    const { summary, events } = await run(options);
    expectCompleted(summary, { rowsRead: 1500, uploaded: 0, failed: 1500 });
    expect(summary.stateReason).toMatch(
      /Genesys failed the import: the contact list would pass the 1,000,000 contacts Genesys allows per list \(it held 0 contacts before this file of 1,500 rows\)/,
    );
    expect(sandbox!.inspect.contacts(listId).length).toBeLessThanOrEqual(1000);
    const failedCsv = readFileSync(join(options.runDir, 'failed-rows.csv'), 'utf8');
    expect(failedCsv).toContain('would pass the 1,000,000 contacts');
    expect(failedCsv).toContain('Name 1499');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'batch',
        batch: expect.objectContaining({ outcome: 'failed', rows: 1500 }),
      }),
    );
  });

  it('retries 503s on every call of the flow and still imports each row once', async () => {
    const { listId, base } = await setup({
      importRowsPerSecond: 4000,
      importStatusMinRows: 10,
      faults: {
        status503: 0.5,
        endpoints: [
          'GET /api/v2/outbound/contactlists/{id}',
          'POST /api/v2/outbound/contactlists/uploads',
          'GET /api/v2/outbound/contactlists/{id}/importstatus',
        ],
      },
    });
    const { summary } = await run(
      named(base, 'flaky', { contactIdColumn: 'CustomerId', source: rows(300) }),
    );
    expectCompleted(summary, { uploaded: 300 });
    expect(summary.retries).toBeGreaterThan(0);
    expect(sandbox!.inspect.contacts(listId)).toHaveLength(300);
  });

  it('stops with advice when the list does not exist', async () => {
    const { base } = await setup({});
    const { summary } = await run(
      named(base, 'missing', { contactListId: 'no-such-list', source: rows(10) }),
    );
    expect(summary.state).toBe('stopped');
    expect(summary.stateReason).toMatch(/Contact list no-such-list was not found/);
    expect(summary.invariant.holds).toBe(true);
  });

  it('cancels while Genesys imports: rows failed with a reason that says the import may still finish', async () => {
    const { base } = await setup({ importRowsPerSecond: 300, importStatusMinRows: 10 });
    const importRun = new ImportRun(
      named(base, 'cancel', { contactIdColumn: 'CustomerId', source: rows(1000) }),
    );
    cancelWhenImporting(importRun);
    const summary = await importRun.start();
    expect(summary).toMatchObject({
      state: 'cancelled',
      rowsRead: 1000,
      uploaded: 0,
      failed: 1000,
      invariant: { holds: true },
    });
    expect(summary.stateReason).toMatch(/may still finish/);
  });

  it('cancelled while writing its file, records the rows read as never sent; resuming imports them with the rows never read, each once', async () => {
    const { listId, base } = await setup({ importRowsPerSecond: 5000, importStatusMinRows: 10 });
    const cancelAt: { run?: ImportRun } = {};
    // the consultant cancels while the file is being written: row 250 is the last one read
    const source = rows(600, (n) => {
      if (n === 251) cancelAt.run?.cancel();
      return undefined;
    });
    const options = named(base, 'cancel-writing', { contactIdColumn: 'CustomerId', source });
    const writing = new ImportRun(options);
    cancelAt.run = writing;
    const cancelled = await writing.start();
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      rowsRead: 250,
      failed: 250,
      notSent: 250,
      invariant: { holds: true },
    });
    expect(cancelled.stateReason).toMatch(/before the file was sent: Genesys has none of its rows/);
    expect(sandbox!.inspect.contacts(listId)).toHaveLength(0);

    const { summary } = await run(options);
    expectCompleted(summary, { rowsRead: 600, uploaded: 600, failed: 0, notSent: 0 });
    const writes = sandbox!.inspect.contactWrites(listId);
    expect(writes).toHaveLength(600);
    expect(writes.filter((record) => record.writes !== 1)).toEqual([]);
    const uploads = sandbox!.inspect
      .requests()
      .filter((entry) => entry.method === 'POST' && entry.path.endsWith('/contactlists/uploads'));
    expect(uploads).toHaveLength(1);
  });

  it('resumes after a crash at the last step: imports the unsettled rows again, each contact still once', async () => {
    const { listId, base } = await setup({ importRowsPerSecond: 5000, importStatusMinRows: 10 });
    const crashing = (dir: string): JournalSink => {
      const sink = openJournalSink(dir);
      return {
        record: (entry) => {
          if (entry.t === 'uploaded') throw new Error('killed');
          sink.record(entry);
        },
        commit: () => sink.commit(),
        close: () => sink.close(),
      };
    };
    const source = rows(300, (n) =>
      n === 7 ? { rowNumber: n + 1, ok: false, reason: 'bad phone' } : undefined,
    );
    const options = named(base, 'crash', { contactIdColumn: 'CustomerId', source });
    const { runDir } = options;
    await expect(new ImportRun({ ...options, openJournal: crashing }).start()).rejects.toThrow(
      'killed',
    );
    expect(sandbox!.inspect.contacts(listId)).toHaveLength(299);
    expect(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'))).toMatchObject({
      state: 'running',
    });

    const { summary } = await run(options);
    expectCompleted(summary, { rowsRead: 300, uploaded: 299, rejected: 1 });
    expect(readJournal(runDir).sessions).toBe(2);
    const stored = sandbox!.inspect.contacts(listId);
    expect(stored).toHaveLength(299);
    expect(new Set(stored.map((c) => c.id)).size).toBe(299);
  });

  it('opens an import session from run.json: the CSV through the mapping, hash ids in the extra column', async () => {
    const { listId, base } = await setup({ importRowsPerSecond: 5000, importStatusMinRows: 10 });
    const csvPath = join(root, 'session.csv');
    const lines = ['CustomerId,Phone,Name,Note'];
    for (let n = 1; n <= 120; n += 1)
      lines.push(`C${n},+1317${2000000 + n},"Name ${n}",${n === 5 ? '' : 'ok'}`);
    lines.push('C999,not a phone,Bad,x');
    writeFileSync(csvPath, `${lines.join('\n')}\n`);
    const schema = readContactListSchema({
      id: listId,
      name: 'x',
      columnNames: COLUMNS,
      phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
    });
    const manager = new RunManager(join(root, 'runs'));
    const meta = {
      runId: 'session',
      createdAt: new Date().toISOString(),
      orgName: base.orgName,
      orgKey: 'sandbox',
      apiUrl: base.apiUrl,
      clientId: '',
      contactListId: listId,
      strategy: 'import' as const,
      csvPath,
      mapping: autoMapping(['CustomerId', 'Phone', 'Name', 'Note'], schema),
      batchSize: 1000,
      headroom: 0.1,
    };
    manager.writeMeta(meta);
    const importRun = await openRunSession(manager, meta, base, 'upload', {
      importTuning: { pollIntervalMs: 40 },
    });
    expectCompleted(await importRun.start(), { rowsRead: 121, uploaded: 120, rejected: 1 });
    const stored = sandbox!.inspect.contacts(listId);
    expect(stored).toHaveLength(120);
    const first = stored.find((c) => c.data.CustomerId === 'C1');
    expect(first?.id).toBe(hashContactId(['Phone'], [first?.data.Phone ?? '']));
    expect(manager.readSummary('session')).toMatchObject({ strategy: 'import', uploaded: 120 });
  });

  it('retries the failed rows of a cancelled import: each contact once, the run now all uploaded', async () => {
    const { listId, base } = await setup({ importRowsPerSecond: 2000, importStatusMinRows: 10 });
    const options = named(base, 'retry', { contactIdColumn: 'CustomerId', source: rows(600) });
    const first = new ImportRun(options);
    cancelWhenImporting(first);
    expect(await first.start()).toMatchObject({ state: 'cancelled', failed: 600 });

    const { summary } = await run({ ...options, mode: 'retry-failed' });
    expectCompleted(summary, { rowsRead: 600, uploaded: 600, failed: 0 });
    const stored = sandbox!.inspect.contacts(listId);
    expect(stored).toHaveLength(600);
    expect(new Set(stored.map((c) => c.id)).size).toBe(600);
    expect(stored.find((c) => c.id === 'C3')?.data).toEqual(
      (contactRow(3) as Extract<SourceRow, { ok: true }>).contact.data,
    );
    const failedCsv = readFileSync(join(options.runDir, 'failed-rows.csv'), 'utf8');
    expect(failedCsv.trim().split('\n')).toHaveLength(1);
  });
});
