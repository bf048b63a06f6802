// `sluice prepare` on Excel workbooks, end to end through the real CLI and its worker thread:
// the fixture workbook (several sheets, numbers, dates, text ZIPs) and a 100,000-row sheet
// generated here (never committed).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../../core/csv/index';
import { csvRecords } from '../support/csv-records';
import { writeContactsWorkbook, writeLargeWorkbook } from '../unit/csv/xlsx-workbooks';
import { execSluice } from '../support/sluice-cli';

const LARGE_ROWS = 100_000;
const BAD_EVERY = 1000;

const LIST = {
  id: 'list-xlsx',
  name: 'Workbook import',
  columnNames: [
    'CustomerId',
    'FirstName',
    'LastName',
    'MobilePhone',
    'Email',
    'Zip',
    'Balance',
    'DueDate',
  ],
  phoneColumns: [{ columnName: 'MobilePhone', type: 'cell' }],
  columnDataTypeSpecifications: [
    { columnName: 'Balance', columnDataType: 'NUMERIC' },
    { columnName: 'DueDate', columnDataType: 'TIMESTAMP' },
  ],
};
const csv = (header: string) => ({ source: { kind: 'csv', header } });
const MAPPING = {
  columns: {
    CustomerId: csv('Id'),
    FirstName: csv('First Name'),
    LastName: csv('Last Name'),
    MobilePhone: csv('Mobile'),
    Email: csv('Email'),
    Zip: csv('Zip'),
  },
  contactId: { kind: 'column', column: 'CustomerId' },
  phone: { defaultCountry: 'US' },
};
const WORKBOOK_MAPPING = {
  ...MAPPING,
  columns: {
    ...MAPPING.columns,
    Zip: csv('Zip (number)'),
    Balance: csv('Balance'),
    DueDate: csv('Due Date'),
  },
};

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-xlsx-prepare-'));
  await writeFile(join(folder, 'list.json'), JSON.stringify(LIST));
  await writeFile(join(folder, 'mapping.json'), JSON.stringify(MAPPING));
  await writeFile(join(folder, 'workbook-mapping.json'), JSON.stringify(WORKBOOK_MAPPING));
  await writeContactsWorkbook(join(folder, 'contacts.xlsx'));
  await writeLargeWorkbook(join(folder, 'large.xlsx'), LARGE_ROWS, BAD_EVERY);
}, 120_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const sluice = (args: string[]) =>
  execSluice(args, { cwd: folder, env: { SLUICE_DATA_DIR: folder } });

describe('sluice prepare on .xlsx', () => {
  it('prepares the fixture workbook: first sheet with data, values as Excel shows them', async () => {
    const run = await sluice([
      'prepare',
      '--csv',
      'contacts.xlsx',
      '--schema',
      'list.json',
      '--mapping',
      'workbook-mapping.json',
      '--out',
      'contacts.clean.csv',
      '--rejects',
      'contacts.rejects.xlsx',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('Read 3 rows from contacts.xlsx (sheet "Contacts")');
    expect(await csvRecords(join(folder, 'contacts.clean.csv'))).toEqual([
      {
        CustomerId: 'C1',
        FirstName: 'Ann',
        LastName: 'Lee',
        MobilePhone: '+13125550123',
        Email: 'ann@example.com',
        Zip: '02134',
        Balance: '1234.5',
        DueDate: '2025-01-15',
      },
      {
        CustomerId: 'C2',
        FirstName: 'Zoë',
        LastName: "O'Brien",
        MobilePhone: '+13125550124',
        Email: 'zoe@example.com',
        Zip: '00501',
        Balance: '0.3',
        DueDate: '2025-03-01 13:45',
      },
    ]);
    const rejects = await csvRecords(join(folder, 'contacts.rejects.xlsx'));
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({
      Id: '1234567890123',
      Mobile: '555-01',
      'Zip (number)': '99501',
    });
  });

  it('prepares the sheet named by --sheet, and says which sheets exist when it is wrong', async () => {
    const wrong = await sluice([
      'prepare',
      '--csv',
      'contacts.xlsx',
      '--sheet',
      'Leads',
      '--schema',
      'list.json',
      '--auto-map',
      '--out',
      'x.csv',
      '--rejects',
      'x.rejects.csv',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('no sheet named "Leads"');
    expect(wrong.stderr).toContain('"Archive"');
  });

  it(`prepares a ${LARGE_ROWS.toLocaleString('en-US')}-row sheet into workbook outputs, every row accounted for`, async () => {
    const run = await sluice([
      'prepare',
      '--csv',
      'large.xlsx',
      '--schema',
      'list.json',
      '--mapping',
      'mapping.json',
      '--out',
      'large.clean.xlsx',
      '--rejects',
      'large.rejects.xlsx',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    const bad = LARGE_ROWS / BAD_EVERY;
    expect(JSON.parse(run.stdout)).toEqual({
      rowsRead: LARGE_ROWS,
      clean: LARGE_ROWS - bad,
      rejected: bad,
      byRule: { phone: bad },
      // every clean row has a phone and no formula: the warnings pass over the workbooks finds none
      warned: 0,
      byWarning: {},
    });
    let clean = 0;
    const ids = new Set<string>();
    for await (const row of await openCsv(join(folder, 'large.clean.xlsx'))) {
      if (clean === 0)
        expect(row.fields).toMatchObject({
          CustomerId: 'C0',
          MobilePhone: '+13125550000',
          Zip: '00000',
        });
      ids.add(row.fields.CustomerId!);
      clean += 1;
    }
    const rejected = await csvRecords(join(folder, 'large.rejects.xlsx'));
    for (const row of rejected) ids.add(row.Id!);
    // rows read = clean + rejected, every row in exactly one set.
    expect(clean + rejected.length).toBe(LARGE_ROWS);
    expect(ids.size).toBe(LARGE_ROWS);
    expect(rejected[0]).toMatchObject({ Id: `C${BAD_EVERY - 1}`, Mobile: '555-01' });
  }, 300_000);
});
