import { describe, expect, it } from 'vitest';
import { createRowMapper, type RowResult } from '../../../core/csv/row-mapper';
import { readMapping, type MappingInput } from '../../../core/csv/mapping';
import { CsvFileError } from '../../../core/csv/errors';
import { hashContactId } from '../../../core/csv/contact-id';
import {
  duplicateIdSummary,
  idCsvHeader,
  idListColumns,
  withIdHeader,
} from '../../../core/csv/contact-id-rule';
import { idHeaderScore, suggestIdHeader } from '../../../core/csv/id-column-match';
import { describeIdChoice } from '../../../core/engine/run/reconciliation';
import { alignMappingToList } from '../../../core/engine/run/mapping-alignment';
import { planFixes } from '../../../core/services/fix-rows';
import { testSchema } from './helpers';

const HEADERS = ['CRM ID', 'First', 'Mobile'];

/** A CRM export mapped onto the test list: "CRM ID" is read by no list column. */
function crmMapping(contactId: MappingInput['contactId']): MappingInput {
  return {
    columns: {
      FirstName: { source: { kind: 'csv', header: 'First' } },
      MobilePhone: { source: { kind: 'csv', header: 'Mobile' } },
    },
    contactId,
    phone: { defaultCountry: 'US' },
  };
}

function mapAll(mapping: MappingInput, rows: string[][]): RowResult[] {
  const mapRow = createRowMapper(readMapping(mapping), testSchema(), { headers: HEADERS });
  return rows.map((values, index) =>
    mapRow({
      rowNumber: index + 2,
      values,
      fields: Object.fromEntries(HEADERS.map((header, at) => [header, values[at] ?? ''])),
    }),
  );
}

function messages(result: RowResult): string[] {
  return result.ok ? [] : result.problems.map((problem) => problem.message);
}

describe('the csv-column contact-id rule in a mapping file', () => {
  it('loads, next to the older column and hash rules (saved mappings keep loading)', () => {
    expect(readMapping(crmMapping({ kind: 'csv-column', header: 'CRM ID' })).contactId).toEqual({
      kind: 'csv-column',
      header: 'CRM ID',
    });
    const older = readMapping({
      version: 1,
      columns: { MobilePhone: { source: { kind: 'csv', header: 'Mobile' } } },
      contactId: { kind: 'hash', columns: ['MobilePhone'] },
    });
    expect(older.contactId).toEqual({ kind: 'hash', columns: ['MobilePhone'] });
    expect(
      readMapping({ ...older, contactId: { kind: 'column', column: 'MobilePhone' } }),
    ).toBeTruthy();
  });

  it('refuses one without a header, naming where', () => {
    expect(() =>
      readMapping(crmMapping({ kind: 'csv-column', header: '' } as never), 'crm.json'),
    ).toThrow(/crm\.json is not a valid mapping: .*contactId\.header/);
  });

  it('reads no list column and one CSV header', () => {
    const rule = { kind: 'csv-column', header: 'CRM ID' } as const;
    expect(idListColumns(rule)).toEqual([]);
    expect(idCsvHeader(rule)).toBe('CRM ID');
    expect(idListColumns({ kind: 'hash', columns: ['A', 'B'] })).toEqual(['A', 'B']);
  });
});

describe('ids read from a CSV column', () => {
  const rule = { kind: 'csv-column', header: 'CRM ID' } as const;

  it('are the column value as written (trimmed), and two people sharing a phone stay two contacts', () => {
    const results = mapAll(crmMapping(rule), [
      [' CRM-001 ', 'Ann', '(212) 555-0199'],
      ['CRM-002', 'Bob', '(212) 555-0199'],
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect(results.map((result) => result.contact?.id)).toEqual(['CRM-001', 'CRM-002']);
    // the CRM id is not a list column: the contact's data holds only the list's columns
    expect(Object.keys(results[0]!.contact!.data)).not.toContain('CRM ID');
  });

  it('reject a row whose id cell is empty (contact-id), naming the CSV column', () => {
    const [result] = mapAll(crmMapping(rule), [['  ', 'Ann', '(212) 555-0199']]);
    expect(result!.ok).toBe(false);
    expect(!result!.ok && result!.problems.map((problem) => problem.rule)).toEqual(['contact-id']);
    expect(messages(result!)).toEqual([
      'Row 2: has no contact id: the CSV column “CRM ID” is empty',
    ]);
  });

  it('reject an id longer than a list value may be (contact-id)', () => {
    const [result] = mapAll(crmMapping(rule), [['x'.repeat(513), 'Ann', '(212) 555-0199']]);
    expect(!result!.ok && result!.problems.map((problem) => problem.rule)).toEqual(['contact-id']);
    expect(messages(result!)[0]).toMatch(/longer than 512 characters .*“CRM ID”/);
  });

  it('reject a repeated CRM id as a duplicate, without the phone advice', () => {
    const results = mapAll(crmMapping(rule), [
      ['CRM-001', 'Ann', '(212) 555-0199'],
      ['CRM-001', 'Ann', '(212) 555-0100'],
    ]);
    expect(messages(results[1]!)).toEqual([
      'Row 3: repeats the contact id of an earlier row (keeping the first)',
    ]);
  });

  it('need the header in the file', () => {
    expect(() => mapAll(crmMapping({ kind: 'csv-column', header: 'Customer Number' }), [])).toThrow(
      CsvFileError,
    );
    expect(() => mapAll(crmMapping({ kind: 'csv-column', header: 'Customer Number' }), [])).toThrow(
      /contact id reads CSV column "Customer Number", which the file does not have/,
    );
  });
});

describe('duplicate ids made from the phone columns', () => {
  it('say why the rows collide and what to do, keeping the rule code', () => {
    const results = mapAll(crmMapping({ kind: 'hash', columns: ['MobilePhone'] }), [
      ['CRM-001', 'Ann', '(212) 555-0199'],
      ['CRM-002', 'Bob', '(212) 555-0199'],
    ]);
    expect(results[0]!.contact!.id).toBe(hashContactId(['MobilePhone'], ['+12125550199']));
    expect(!results[1]!.ok && results[1]!.problems.map((problem) => problem.rule)).toEqual([
      'duplicate-id',
    ]);
    expect(messages(results[1]!)).toEqual([
      'Row 3: repeats the contact id of an earlier row (keeping the first): the rows have the same phone number(s) (MobilePhone), and the contact id is made from the phone columns, so they would be one contact. Choose a CRM id column as Contact id to keep them apart',
    ]);
  });

  it('give the whole-file check words for the count, only for hash ids', () => {
    expect(duplicateIdSummary({ kind: 'hash', columns: ['MobilePhone'] }, ['MobilePhone'])).toBe(
      'Same phone number(s) as an earlier row: the contact id is made from the phone columns, so these rows would be one contact. Choose a CRM id column as Contact id to keep them apart',
    );
    expect(duplicateIdSummary({ kind: 'hash', columns: ['FirstName'] }, ['MobilePhone'])).toMatch(
      /^Same FirstName as an earlier row: the contact id is made from those columns/,
    );
    expect(duplicateIdSummary({ kind: 'csv-column', header: 'CRM ID' }, [])).toBeUndefined();
    expect(duplicateIdSummary({ kind: 'column', column: 'CustomerId' }, [])).toBeUndefined();
  });
});

describe('suggestIdHeader', () => {
  it('scores id-like headers, never phone or email ones', () => {
    for (const header of ['CRM ID', 'Account ID', 'External Id', 'CustomerID', 'id', 'GUID'])
      expect(idHeaderScore(header), header).toBe(2);
    for (const header of ['Customer Number', 'Client No', 'Account Nr'])
      expect(idHeaderScore(header), header).toBe(1);
    for (const header of ['Phone Number', 'Mobile No', 'Email', 'First Name', 'Zip code', 'Notes'])
      expect(idHeaderScore(header), header).toBe(0);
  });

  it('suggests the most id-like column whose previewed values are filled and unique', () => {
    const headers = ['Customer Number', 'CRM ID', 'Phone'];
    const rows = [
      ['100', 'C-1', '555'],
      ['101', 'C-2', '555'],
    ];
    expect(suggestIdHeader(headers, rows)).toEqual({
      header: 'CRM ID',
      why: 'looks like an id, and its values are filled and unique in the first 2 rows',
    });
    // a repeated or empty value rules a column out
    expect(
      suggestIdHeader(headers, [
        ['100', 'C-1', '555'],
        ['101', 'C-1', '555'],
      ])?.header,
    ).toBe('Customer Number');
    expect(suggestIdHeader(headers, [['', '', '555']])).toBeUndefined();
    expect(suggestIdHeader(['First', 'Phone'], rows)).toBeUndefined();
  });
});

describe('withIdHeader (the CLI --id-column)', () => {
  const mapping = readMapping(crmMapping({ kind: 'hash', columns: ['MobilePhone'] }));

  it('uses the list column that reads the header, else the CSV column itself', () => {
    expect(withIdHeader(mapping, 'Mobile', HEADERS).contactId).toEqual({
      kind: 'column',
      column: 'MobilePhone',
    });
    expect(withIdHeader(mapping, 'CRM ID', HEADERS).contactId).toEqual({
      kind: 'csv-column',
      header: 'CRM ID',
    });
  });

  it('refuses a header the file does not have, listing those it has', () => {
    expect(() => withIdHeader(mapping, 'CRM Id', HEADERS)).toThrow(
      '--id-column "CRM Id" is not a column of the file (its columns: CRM ID, First, Mobile).',
    );
  });
});

describe('a run whose ids come from a CSV column', () => {
  const mapping = readMapping(crmMapping({ kind: 'csv-column', header: 'CRM ID' }));

  it('says so in its reconciliation, naming the column (and where an import sent it)', () => {
    expect(describeIdChoice('contacts', mapping)).toBe(
      'the value of the CSV column “CRM ID” (not a list column), sent as the contact id (Genesys keeps the id it is sent)',
    );
    expect(describeIdChoice('import', mapping)).toContain(
      "the value of the CSV column “CRM ID” (not a list column), sent as the import file's contact id column SluiceContactId",
    );
  });

  it('keeps the rule as it is when the mapping is spelled as the list', () => {
    expect(alignMappingToList(mapping, testSchema()).contactId).toEqual(mapping.contactId);
  });

  it('keeps the recorded id of a corrected row given by its list columns', () => {
    const plan = planFixes(
      [
        { row: 2, data: { FirstName: 'Ann', MobilePhone: '+12125550199' }, contactId: 'CRM-001' },
        { row: 3, data: { FirstName: 'Bob', MobilePhone: '+12125550100' } },
        { row: 4, data: { 'CRM ID': 'CRM-004', First: 'Cy', Mobile: '(212) 555-0101' } },
      ],
      mapping,
      testSchema(),
    );
    expect(plan.ready.map((row) => [row.row, row.contactId])).toEqual([
      [2, 'CRM-001'],
      [4, 'CRM-004'],
    ]);
    expect(plan.problems).toEqual([
      {
        row: 3,
        messages: [
          'Row 3 has no recorded contact id, and its id comes from the CSV column “CRM ID”: correct it in the file and upload that instead.',
        ],
      },
    ]);
  });
});
