import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/index';
import type { RunSummary } from '../../core/contract';
import { openCsv, RECONCILIATION_COLUMNS } from '../../core/csv';
import type { ContactIdRule } from '../../core/csv/mapping';
import type { AppRuntime } from '../../core/services/app-runtime';
import {
  runFinished,
  testRuntimePerFile,
  startWebinarRun,
  writeWebinarCsv,
} from '../support/app-runtime-runs';

// A run's reconciliation (one row per source row: CRM id, Genesys contact id, outcome, reason)
// compared with what the Sandbox org stored, for a contacts run with rejected rows (ids hashed
// by Sluice) and for a bulk import (which returns no ids), through runs:exportReconciliation
// and `sluice runs export --reconciliation`.
let runtime: AppRuntime;
let folder: string;
let listId: string;

type ReconciliationRow = { [column in (typeof RECONCILIATION_COLUMNS)[number]]: string };

async function startRun(
  csvPath: string,
  strategy: 'contacts' | 'import',
  contactId: ContactIdRule,
): Promise<RunSummary> {
  const { runId } = await startWebinarRun(runtime, listId, csvPath, {
    strategy,
    batchSize: 40,
    contactId,
  });
  return runFinished(runtime, runId);
}

async function readReconciliation(file: string): Promise<ReconciliationRow[]> {
  const source = await openCsv(file);
  expect(source.headers).toEqual([...RECONCILIATION_COLUMNS]);
  const rows: ReconciliationRow[] = [];
  for await (const row of source) rows.push(row.fields as ReconciliationRow);
  return rows;
}

/** The Sandbox's stored contacts whose Email starts with `prefix`, by contact id. */
function storedByPrefix(prefix: string): Map<string, Record<string, string>> {
  const stored = runtime.sandbox!.inspect.contacts(listId);
  return new Map(
    stored
      .filter((contact) => String(contact.data['Email'] ?? '').startsWith(prefix))
      .map((contact) => [contact.id, contact.data as Record<string, string>]),
  );
}

testRuntimePerFile(
  'sluice-reconciliation-run-',
  (started) => ({ runtime, folder, listId } = started),
);

describe('run reconciliation', () => {
  it('contacts run with rejected rows: one row per source row, ids and values as the Sandbox stored them', async () => {
    const bad = [3, 41, 77];
    const csvPath = writeWebinarCsv(folder, 'contacts.csv', 90, bad, 'rec');
    const summary = await startRun(csvPath, 'contacts', { kind: 'hash', columns: ['Email'] });
    expect(summary).toMatchObject({ state: 'completed', rowsRead: 90, uploaded: 87, rejected: 3 });

    const out = path.join(folder, 'contacts-reconciliation.csv');
    const result = await runtime.services['runs:exportReconciliation']({
      runId: summary.runId,
      path: out,
      overwrite: false,
    });
    expect(result).toMatchObject({ path: out, rows: 90 });
    expect(result.idFrom).toMatch(/hash Sluice made of Email/);
    await expect(
      runtime.services['runs:exportReconciliation']({
        runId: summary.runId,
        path: out,
        overwrite: false,
      }),
    ).rejects.toMatchObject({ code: 'exists' });

    const rows = await readReconciliation(out);
    // Every source row once, in file order (header = row 1).
    expect(rows.map((row) => Number(row['Source row']))).toEqual(
      Array.from({ length: 90 }, (_, i) => i + 2),
    );
    const uploaded = rows.filter((row) => row.Outcome === 'uploaded');
    const stored = storedByPrefix('rec');
    expect(uploaded).toHaveLength(stored.size);
    expect(new Set(uploaded.map((row) => row['Genesys contact id']))).toEqual(
      new Set(stored.keys()),
    );
    for (const row of uploaded) {
      expect(stored.get(row['Genesys contact id'])!['Email']).toBe(row['CRM id']);
      expect(row['Contact id from']).toBe(result.idFrom);
    }
    const rejected = rows.filter((row) => row.Outcome === 'rejected');
    expect(rejected.map((row) => Number(row['Source row']))).toEqual(bad.map((i) => i + 1));
    for (const row of rejected) {
      expect(row['Genesys contact id']).toBe('');
      expect(row.Reason).toMatch(/555-01/);
      expect(row['CRM id']).toMatch(/^rec\d+@example\.com$/);
    }
    expect([...stored.values()].map((data) => data['Email'])).not.toContain('rec3@example.com');

    // The command line writes the same rows from the run folder alone (run.json keeps the list).
    const cliOut = path.join(folder, 'contacts-reconciliation-cli.xlsx');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await main([
        'node',
        'sluice',
        'runs',
        'export',
        summary.runId,
        '--reconciliation',
        cliOut,
        '--run-dir',
        path.join(folder, 'runs'),
      ]);
    } finally {
      write.mockRestore();
    }
    expect(code).toBe(0);
    expect(await readReconciliation(cliOut)).toEqual(rows);
  });

  it('import run: says Sluice chose the ids, and they are the ids the Sandbox stored', async () => {
    const csvPath = writeWebinarCsv(folder, 'import.csv', 120, [10], 'imp');
    const summary = await startRun(csvPath, 'import', { kind: 'column', column: 'Email' });
    expect(summary).toMatchObject({
      state: 'completed',
      rowsRead: 120,
      uploaded: 119,
      rejected: 1,
    });

    const out = path.join(folder, 'import-reconciliation.xlsx');
    const result = await runtime.services['runs:exportReconciliation']({
      runId: summary.runId,
      path: out,
      overwrite: false,
    });
    expect(result.rows).toBe(120);
    expect(result.idFrom).toMatch(/chosen by Sluice \(a Genesys import returns no ids\)/);
    expect(result.idFrom).toMatch(/contact id column Email/);

    const rows = await readReconciliation(out);
    expect(rows).toHaveLength(120);
    const stored = storedByPrefix('imp');
    const uploaded = rows.filter((row) => row.Outcome === 'uploaded');
    expect(new Set(uploaded.map((row) => row['Genesys contact id']))).toEqual(
      new Set(stored.keys()),
    );
    for (const row of uploaded) {
      const data = stored.get(row['Genesys contact id'])!;
      expect(data['Email']).toBe(row['CRM id']);
      expect(data['FirstName']).toBe(`Person ${Number(row['Source row']) - 1}`);
    }
    expect(rows.filter((row) => row.Outcome === 'rejected')).toEqual([
      expect.objectContaining({
        'Source row': '11',
        'Genesys contact id': '',
        Outcome: 'rejected',
      }),
    ]);
  });
});
