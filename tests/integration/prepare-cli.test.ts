import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMapping, createRowMapper, openCsv, readContactListSchema } from '../../core/csv/index';
import { csvRecords } from '../support/csv-records';
import type { MappedContact } from '../../core/csv/index';
import { execSluice, spawnSluice } from '../support/sluice-cli';

const LIST = {
  id: 'list-1',
  name: 'Renewals',
  columnNames: ['FirstName', 'LastName', 'MobilePhone', 'HomePhone', 'Email', 'Balance'],
  phoneColumns: [
    { columnName: 'MobilePhone', type: 'cell' },
    { columnName: 'HomePhone', type: 'home' },
  ],
  emailColumns: [{ columnName: 'Email', type: 'work' }],
  columnDataTypeSpecifications: [{ columnName: 'Balance', columnDataType: 'NUMERIC', min: 0 }],
  size: 42,
};

const CSV = [
  'First Name,Last Name,Mobile,Home Phone,Email,Balance,Notes',
  'Ann,Lee,(212) 555-0199,,ann@example.com,10,"likes ""quotes"", commas"',
  'Bob,Ray,555-01,,bob@example.com,5,bad phone',
  'Cy,Doe,+44 20 7946 0958,212-555-0123,cy@example.com,abc,bad balance',
  'Dee,Fox,212.555.0177,,"dee@example.com",0,"two',
  'lines"',
  'Eve,Kim,(212) 555-0199,,eve@example.com,1,same mobile as Ann',
  'Flo,Ng,,2125550111,=cmd|calc,2,formula',
  '',
].join('\r\n');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-prepare-cli-'));
  await writeFile(join(folder, 'list.json'), JSON.stringify(LIST));
  await writeFile(join(folder, 'contacts.csv'), CSV);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const sluice = (args: string[]) =>
  execSluice(args, { cwd: folder, env: { SLUICE_DATA_DIR: folder } });

/** `sluice prepare` of contacts.csv against list.json, auto-mapped, US numbers, into `out` and `rejects`. */
const prepareContacts = (out: string, rejects: string, ...extra: string[]) =>
  sluice([
    'prepare',
    '--csv',
    'contacts.csv',
    '--schema',
    'list.json',
    '--auto-map',
    '--default-country',
    'US',
    '--out',
    out,
    '--rejects',
    rejects,
    ...extra,
  ]);

async function cleanContacts(csvPath: string): Promise<MappedContact[]> {
  const schema = readContactListSchema(LIST);
  const source = await openCsv(csvPath);
  const mapRow = createRowMapper(autoMapping(source.headers, schema), schema, {
    headers: source.headers,
    defaultCountry: 'US',
  });
  const contacts: MappedContact[] = [];
  for await (const row of source) {
    const result = mapRow(row);
    if (result.ok) contacts.push(result.contact);
  }
  return contacts;
}

describe('sluice prepare (the real CLI as a child process)', () => {
  it('round trip: the clean file re-parses to exactly the accepted rows; rejects are explained and Excel-safe', async () => {
    const run = await prepareContacts('clean.csv', 'rejects.csv', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as {
      rowsRead: number;
      clean: number;
      rejected: number;
      byRule: Record<string, number>;
    };
    expect(summary).toEqual({
      rowsRead: 6,
      clean: 3,
      rejected: 3,
      byRule: { phone: 1, numeric: 1, 'duplicate-id': 1 },
      // Flo's email starts like a formula: sent as it is, counted as the app's check counts it
      warned: 1,
      byWarning: { formula: 1 },
    });

    const accepted = await cleanContacts(join(folder, 'contacts.csv'));
    const reparsed = await csvRecords(join(folder, 'clean.csv'));
    expect(reparsed).toEqual(accepted.map((contact) => contact.data));
    expect(reparsed.map((row) => row.FirstName)).toEqual(['Ann', 'Dee', 'Flo']);
    expect(reparsed[1]).toEqual({
      FirstName: 'Dee',
      LastName: 'Fox',
      MobilePhone: '+12125550177',
      HomePhone: '',
      Email: 'dee@example.com',
      Balance: '0',
    });
    expect(reparsed[2]?.Email).toBe('=cmd|calc'); // the clean file keeps values exactly as uploaded

    // Preparing the clean file again changes nothing and yields the same contact ids (idempotent uploads).
    const again = await sluice([
      'prepare',
      '--csv',
      'clean.csv',
      '--schema',
      'list.json',
      '--auto-map',
      '--out',
      'clean2.csv',
      '--rejects',
      'rejects2.csv',
      '--json',
    ]);
    expect(again.code).toBe(0);
    expect(await readFile(join(folder, 'clean2.csv'), 'utf8')).toBe(
      await readFile(join(folder, 'clean.csv'), 'utf8'),
    );
    expect((await cleanContacts(join(folder, 'clean.csv'))).map((contact) => contact.id)).toEqual(
      accepted.map((contact) => contact.id),
    );

    const rejects = await readFile(join(folder, 'rejects.csv'), 'utf8');
    expect(rejects).toContain("Row 3: MobilePhone '555-01' is not a valid phone number for US");
    expect(rejects).toContain("Row 4: Balance 'abc' is not a number");
    expect(rejects).toContain('Row 6: repeats the contact id of an earlier row');
  });

  it('prints a readable summary without --json, and exit 0 when every row is clean', async () => {
    await writeFile(join(folder, 'good.csv'), 'FirstName;MobilePhone\nAnn;+12125550199\n');
    const run = await sluice([
      'prepare',
      '--csv',
      'good.csv',
      '--schema',
      'list.json',
      '--auto-map',
      '--out',
      'g.csv',
      '--rejects',
      'gr.csv',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Read 1 row from good.csv (utf-8, delimiter ;)');
    expect(run.stdout).toContain('clean:    1 → g.csv');
  });

  it("words each rejecting rule as the app does, with its code and the mapping's note", async () => {
    const run = await prepareContacts('worded.csv', 'worded-rejects.csv');
    expect(run.code).toBe(3);
    const lines = run.stdout.split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(lines).toContain('  rejected: 3 → worded-rejects.csv');
    expect(lines).toContain('    Phone number not valid [phone]: 1');
    expect(lines).toContain('    Not a number (numeric column) [numeric]: 1');
    expect(lines).toContain('    Same contact id as an earlier row [duplicate-id]: 1');
    // The id is a hash of the phone columns: the note says why Eve repeats Ann, under its count.
    expect(lines[at('[duplicate-id]') + 1]).toBe(
      '      Same phone number(s) as an earlier row: the contact id is made from the phone columns, so these rows would be one contact. Choose a CRM id column as Contact id to keep them apart',
    );
    expect(run.stdout).not.toMatch(/^ {4}duplicate-id: /m);
    // What the summary counts is what the rejects file holds.
    const rejects = await readFile(join(folder, 'worded-rejects.csv'), 'utf8');
    expect(rejects).toContain('Row 6: repeats the contact id of an earlier row');
    expect(rejects.trim().split('\n')).toHaveLength(4);
    // The clean rows that deserve a look, in the app's words, by file row
    expect(lines).toContain('  warned:   1 of the clean rows (sent, but look at them first)');
    expect(lines).toContain(
      '    A cell starts like a spreadsheet formula (=, +, -, @) [formula]: 1',
    );
    expect(lines).toContain(
      '    row 7: Email starts like a spreadsheet formula (=, +, -, @): Excel would run it when the list is exported',
    );
  });

  it('counts the warnings with workbook outputs too, each named by its file row', async () => {
    const run = await prepareContacts('clean.xlsx', 'rejects.xlsx');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    // Flo's row by its file row: record 7, on line 8 (Dee's notes span two lines)
    expect(run.stdout.split('\n')).toContain(
      '    row 7: Email starts like a spreadsheet formula (=, +, -, @): Excel would run it when the list is exported',
    );
    const uncallable = join(folder, 'uncallable.csv');
    await writeFile(uncallable, 'First Name,Last Name,Mobile\nAnn,Lee,\nBob,Ray,555-01\n');
    const second = await sluice([
      'prepare',
      '--csv',
      'uncallable.csv',
      '--schema',
      'list.json',
      '--auto-map',
      // a CRM id, not the phone hash (without a phone, a hash id would reject Ann's row)
      '--id-column',
      'First Name',
      '--default-country',
      'US',
      '--out',
      'u-clean.xlsx',
      '--rejects',
      'u-rejects.xlsx',
      '--json',
    ]);
    expect(JSON.parse(second.stdout.trim())).toMatchObject({
      clean: 1,
      rejected: 1,
      warned: 1,
      byWarning: { uncallable: 1 },
    });
  });

  it('uses a mapping file', async () => {
    const mapping = {
      version: 1,
      columns: {
        MobilePhone: { source: { kind: 'csv', header: 'Home Phone' } },
        LastName: { source: { kind: 'constant', value: 'X' } },
      },
      contactId: { kind: 'hash', columns: ['MobilePhone'] },
      phone: { defaultCountry: 'US' },
    };
    await writeFile(join(folder, 'mapping.json'), JSON.stringify(mapping));
    const run = await sluice([
      'prepare',
      '--csv',
      'contacts.csv',
      '--schema',
      'list.json',
      '--mapping',
      'mapping.json',
      '--out',
      'm.csv',
      '--rejects',
      'mr.csv',
      '--json',
    ]);
    expect(JSON.parse(run.stdout)).toEqual({
      rowsRead: 6,
      clean: 2,
      rejected: 4,
      byRule: { 'contact-id': 4 },
      // Flo's email: the mapping leaves Email unmapped, so her clean row holds no formula
      warned: 0,
      byWarning: {},
    });
    expect(run.code).toBe(3);
  });

  it('exit 1 with one line and no stack trace on file-level errors', async () => {
    await writeFile(join(folder, 'empty.csv'), '');
    const cases = [
      [
        ['--csv', 'missing.csv', '--schema', 'list.json', '--auto-map'],
        'missing.csv does not exist',
      ],
      [['--csv', 'empty.csv', '--schema', 'list.json', '--auto-map'], 'empty.csv is empty'],
      [
        ['--csv', 'contacts.csv', '--schema', 'contacts.csv', '--auto-map'],
        'contacts.csv is not valid JSON',
      ],
      [
        ['--csv', 'contacts.csv', '--org', 'Acme', '--list', 'x', '--auto-map'],
        'No saved org named "Acme"',
      ],
      [
        ['--csv', 'contacts.csv', '--schema', 'list.json'],
        'give either --mapping FILE or --auto-map',
      ],
      [
        ['--csv', 'contacts.csv', '--schema', 'list.json', '--auto-map', '--default-country', 'XX'],
        'not a known country code',
      ],
    ] as const;
    for (const [args, message] of cases) {
      const run = await sluice(['prepare', ...args, '--out', 'e.csv', '--rejects', 'er.csv']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });
});

describe('sluice prepare interrupted with Ctrl-C', () => {
  it('cancels: exit 1 with one line, and the half-written clean and rejects files are removed', async () => {
    const rows = ['First Name,Last Name,Mobile,Home Phone,Email,Balance,Notes'];
    for (let index = 0; index < 300_000; index += 1) {
      const mobile =
        index % 50 === 0 ? '555-01' : `(212) 555-${String(index % 10_000).padStart(4, '0')}`;
      rows.push(`Ann,Lee,${mobile},,ann${index}@example.com,${index},note`);
    }
    await writeFile(join(folder, 'large.csv'), `${rows.join('\r\n')}\r\n`);
    const outPath = join(folder, 'large.clean.csv');
    const rejectsPath = join(folder, 'large.rejects.csv');
    const { child, done } = spawnSluice(
      ['prepare', '--csv', 'large.csv', '--schema', 'list.json', '--auto-map'].concat([
        '--default-country',
        'US',
        '--out',
        outPath,
        '--rejects',
        rejectsPath,
      ]),
      { cwd: folder, env: { SLUICE_DATA_DIR: folder } },
    );
    let exited = false;
    void done.then(() => (exited = true));
    try {
      // Interrupt once the clean file has rows on disk: the preparation is part way.
      const sizeOf = (path: string) =>
        stat(path).then(
          (info) => info.size,
          () => 0,
        );
      while (!exited && (await sizeOf(outPath)) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill('SIGINT');
      const run = await done;
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        'sluice: Cancelled with Ctrl-C: large.csv was not prepared, and no clean or rejects file was written',
      ]);
      await expect(stat(outPath)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(stat(rejectsPath)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      if (!exited) child.kill('SIGKILL');
    }
  });
});
