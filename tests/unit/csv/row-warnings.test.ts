// The clean rows that will be sent but deserve a look, counted by the preparation as it writes
// them (core/csv/row-warnings.ts): the same counts for the check, the Prepare screen and the CLI.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapping } from '../../../core/csv/mapping';
import { prepareCsv } from '../../../core/csv/prepare';
import { createWarningCounter } from '../../../core/csv/row-warnings';
import { csvRecords } from '../../support/csv-records';
import { FIXTURE_MAPPING, HEADER } from './fixtures';
import { testSchema } from './helpers';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-row-warnings-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('row warnings', () => {
  it('counts a row with no phone or email, and names the columns that start like a formula', () => {
    const schema = testSchema();
    const { note, result } = createWarningCounter(schema, 1);
    const row = (values: Record<string, string>) =>
      schema.columnNames.map((column) => values[column] ?? '');
    note(2, row({ CustomerId: 'C1', MobilePhone: '+12125550199' }), ['a']);
    note(3, row({ CustomerId: 'C2', FirstName: '=1+2', LastName: '@x' }), ['b']);
    note(4, row({ CustomerId: 'C3', Email: 'c@example.com', Balance: '-5' }), ['c']);
    note(5, row({ CustomerId: 'C4', Email: ' ', LastName: '+A1' }), ['d']);
    expect(result.warned).toBe(2);
    expect(result.byWarning).toEqual({ uncallable: 2, formula: 2 });
    // only the first is kept, with its file row and its cells as read
    expect(result.rows).toEqual([
      {
        rowNumber: 3,
        rules: ['uncallable', 'formula'],
        reasons:
          'no phone number or email in any contactable column: it can never be reached; FirstName, LastName start like a spreadsheet formula (=, +, -, @): Excel would run it when the list is exported',
        values: ['b'],
      },
    ]);
  });

  it('a preparation counts them over the rows it writes to the clean file, none of the rejected', async () => {
    const csvPath = join(folder, 'contacts.csv');
    await writeFile(
      csvPath,
      [
        HEADER.join(','),
        'C1,Ann,Lee,(212) 555-0199,,ann@example.com',
        'C2,=Bob,Ray,555-01,,', // rejected (bad mobile): not counted, though it would warn
        'C3,Cy,Doe,,,',
        'C4,-Di,Fox,,2125550144,di@example.com',
      ].join('\r\n'),
    );
    const outPath = join(folder, 'contacts.clean.csv');
    const summary = await prepareCsv({
      csvPath,
      schema: testSchema(),
      mapping: readMapping(FIXTURE_MAPPING),
      outPath,
      rejectsPath: join(folder, 'contacts.rejects.csv'),
      maxWarningRows: 10,
    });
    expect(summary).toMatchObject({ rowsRead: 4, clean: 3, rejected: 1, warned: 2 });
    expect(summary.byWarning).toEqual({ uncallable: 1, formula: 1 });
    expect(summary.warningRows.map((row) => [row.rowNumber, row.rules, row.values[0]])).toEqual([
      [4, ['uncallable'], 'C3'],
      [5, ['formula'], 'C4'],
    ]);
    // the rows it names are in the clean file as they will be sent
    const clean = await csvRecords(outPath);
    expect(clean.map((row) => row.CustomerId)).toEqual(['C1', 'C3', 'C4']);
    expect(clean[2]?.FirstName).toBe('-Di');
  });
});
