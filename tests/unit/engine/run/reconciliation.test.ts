import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashContactId, readContactListSchema, readMapping } from '../../../../core/csv';
import { csvRecords } from '../../../support/csv-records';
import { JournalWriter } from '../../../../core/engine/journal/journal';
import {
  describeIdChoice,
  exportRunReconciliation,
  ReconciliationError,
} from '../../../../core/engine/run/reconciliation';
import { RunFolder } from '../../../../core/engine/run/run-folder';
import { newRunMeta } from '../../../../core/engine/run/run-meta';

// A run folder built by hand (run.json, a journal, the source CSV), reconciled offline: the
// journal's outcomes and reasons, ids recomputed from the source, unsettled rows `pending`.
let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'sluice-reconcile-unit-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const LIST = { name: 'L', columnNames: ['Crm', 'Name', 'Phone'], phoneColumns: [] };
const MAPPING = readMapping({
  columns: {
    Crm: { source: { kind: 'csv', header: 'CRM' } },
    Name: { source: { kind: 'csv', header: 'Name' } },
    Phone: { source: { kind: 'csv', header: 'Phone' } },
  },
  contactId: { kind: 'hash', columns: ['Crm', 'Name'] },
});

function runFolder(name: string, options: { keepList: boolean }): RunFolder {
  const dir = join(folder, name);
  const csvPath = join(folder, `${name}.csv`);
  writeFileSync(csvPath, 'CRM,Name,Phone\nA1,Ann,1\nA2,=Bob,2\nA3,Cy,3\nA4,Di,4\n');
  const run = new RunFolder(dir, name);
  run.writeMeta(
    newRunMeta({
      runId: '20260101-000000-abcd',
      orgName: 'Org',
      apiUrl: 'http://127.0.0.1:1',
      clientId: 'c',
      contactListId: 'list',
      strategy: 'contacts',
      csvPath,
      mapping: MAPPING,
      ...(options.keepList ? { list: LIST } : {}),
      batchSize: 10,
      headroom: 0.1,
    }),
  );
  // Rows 2 and 4 uploaded, row 3 rejected; row 5 was never settled (the run was interrupted).
  const journal = JournalWriter.open(dir);
  journal.record({ t: 'uploaded', batch: 'b1', rows: [[2, 2]] });
  journal.record({
    t: 'rejected',
    batch: 'b1',
    rows: [{ row: 3, reason: 'Row 3: Name is not allowed', status: 0 }],
  });
  journal.record({ t: 'uploaded', batch: 'b2', rows: [[4, 4]] });
  journal.close();
  return run;
}

describe('exportRunReconciliation', () => {
  it('writes one row per source row from the journal and the source, pending when unsettled', async () => {
    const out = join(folder, 'out.csv');
    const written = await exportRunReconciliation(runFolder('kept', { keepList: true }), out);
    expect(written).toMatchObject({
      rows: 4,
      byOutcome: { uploaded: 2, rejected: 1, failed: 0, skipped: 0, pending: 1 },
    });
    const rows = await csvRecords(out);
    expect(rows).toEqual([
      {
        'Source row': '2',
        'CRM id': 'A1 | Ann',
        'Genesys contact id': hashContactId(['Crm', 'Name'], ['A1', 'Ann']),
        Outcome: 'uploaded',
        Reason: '',
        'Contact id from': written.idFrom,
      },
      {
        'Source row': '3',
        // A rejected row has no Genesys id; its CRM id still comes from the source.
        'CRM id': 'A2 | =Bob',
        'Genesys contact id': '',
        Outcome: 'rejected',
        Reason: 'Row 3: Name is not allowed',
        'Contact id from': written.idFrom,
      },
      expect.objectContaining({
        'Source row': '4',
        'Genesys contact id': hashContactId(['Crm', 'Name'], ['A3', 'Cy']),
        Outcome: 'uploaded',
      }),
      expect.objectContaining({ 'Source row': '5', 'CRM id': 'A4 | Di', Outcome: 'pending' }),
    ]);
  });

  it('asks the caller for the list when run.json does not keep it, and refuses without one', async () => {
    const run = runFolder('old', { keepList: false });
    await expect(exportRunReconciliation(run, join(folder, 'old.csv'))).rejects.toBeInstanceOf(
      ReconciliationError,
    );
    const written = await exportRunReconciliation(run, join(folder, 'old-loaded.csv'), {
      loadSchema: async () => readContactListSchema(LIST),
    });
    expect(written.rows).toBe(4);
  });
});

describe('describeIdChoice', () => {
  it('says an import returns no ids and names the column Sluice sent them in', () => {
    const byColumn = readMapping({ ...MAPPING, contactId: { kind: 'column', column: 'Crm' } });
    expect(describeIdChoice('import', byColumn)).toBe(
      "chosen by Sluice (a Genesys import returns no ids): the Crm column's value, sent as the import file's contact id column Crm",
    );
    expect(describeIdChoice('import', MAPPING)).toMatch(
      /hash Sluice made of Crm, Name.*SluiceContactId$/,
    );
    expect(describeIdChoice('contacts', byColumn)).toBe(
      "the Crm column's value, sent as the contact id (Genesys keeps the id it is sent)",
    );
  });
});
