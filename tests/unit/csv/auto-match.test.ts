import { describe, expect, it } from 'vitest';
import {
  AUTO_MAP_CONFIDENCE,
  autoMapping,
  autoMatch,
  canonicalTokens,
  scorePair,
} from '../../../core/csv/auto-match';
import { readContactListSchema } from '../../../core/csv/schema';
import { createRowMapper } from '../../../core/csv/row-mapper';

const schema = readContactListSchema({
  columnNames: [
    'CustomerId',
    'FirstName',
    'LastName',
    'MobilePhone',
    'HomePhone',
    'WorkPhone',
    'Email',
    'Company',
    'ZipCode',
    'City',
    'State',
    'TimeZone',
  ],
  phoneColumns: [
    { columnName: 'MobilePhone', type: 'cell' },
    { columnName: 'HomePhone', type: 'home' },
    { columnName: 'WorkPhone', type: 'work' },
  ],
});

// Real export header sets (Salesforce Contacts report, HubSpot contacts export, Dynamics 365 Excel export).
const SALESFORCE = [
  'Contact ID',
  'First Name',
  'Last Name',
  'Title',
  'Account Name',
  'Mailing Street',
  'Mailing City',
  'Mailing State/Province',
  'Mailing Zip/Postal Code',
  'Mailing Country',
  'Phone',
  'Mobile',
  'Home Phone',
  'Email',
  'Lead Source',
];
const HUBSPOT = [
  'Record ID',
  'First Name',
  'Last Name',
  'Email',
  'Phone Number',
  'Mobile Phone Number',
  'Company Name',
  'City',
  'State/Region',
  'Postal Code',
  'Time Zone',
  'Lifecycle Stage',
];
const DYNAMICS = [
  '(Do Not Modify) Contact',
  '(Do Not Modify) Row Checksum',
  '(Do Not Modify) Modified On',
  'Full Name',
  'First Name',
  'Last Name',
  'Email',
  'Business Phone',
  'Mobile Phone',
  'Home Phone',
  'Company Name',
  'Address 1: City',
  'Address 1: State/Province',
  'Address 1: ZIP/Postal Code',
];

/** listColumn → [csvHeader, confidence, autoMap] */
function table(headers: string[]) {
  return Object.fromEntries(
    autoMatch(headers, schema).map((match) => [
      match.listColumn,
      [match.csvHeader, match.confidence, match.autoMap],
    ]),
  );
}

describe('autoMatch on real CRM exports', () => {
  it('Salesforce: confident pairs mapped, the ambiguous "Phone" only suggested', () => {
    expect(table(SALESFORCE)).toEqual({
      CustomerId: ['Contact ID', 0.38, false],
      FirstName: ['First Name', 0.95, true],
      LastName: ['Last Name', 0.95, true],
      MobilePhone: ['Mobile', 0.9, true],
      HomePhone: ['Home Phone', 0.95, true],
      WorkPhone: ['Phone', 0.43, false],
      Email: ['Email', 1, true],
      Company: ['Account Name', 0.9, true],
      ZipCode: ['Mailing Zip/Postal Code', 0.8, true],
      City: ['Mailing City', 0.8, true],
      State: ['Mailing State/Province', 0.8, true],
      TimeZone: [null, 0, false],
    });
  });

  it('HubSpot', () => {
    expect(table(HUBSPOT)).toEqual({
      CustomerId: [null, 0, false],
      FirstName: ['First Name', 0.95, true],
      LastName: ['Last Name', 0.95, true],
      MobilePhone: ['Mobile Phone Number', 0.9, true],
      HomePhone: ['Phone Number', 0.43, false],
      WorkPhone: [null, 0, false],
      Email: ['Email', 1, true],
      Company: ['Company Name', 0.9, true],
      ZipCode: ['Postal Code', 0.9, true],
      City: ['City', 1, true],
      State: ['State/Region', 0.9, true],
      TimeZone: ['Time Zone', 0.95, true],
    });
  });

  it('Dynamics 365: business phone is the work phone, "Address 1:" is a qualifier', () => {
    expect(table(DYNAMICS)).toEqual({
      CustomerId: [null, 0, false],
      FirstName: ['First Name', 0.95, true],
      LastName: ['Last Name', 0.95, true],
      MobilePhone: ['Mobile Phone', 0.95, true],
      HomePhone: ['Home Phone', 0.95, true],
      WorkPhone: ['Business Phone', 0.9, true],
      Email: ['Email', 1, true],
      Company: ['Company Name', 0.9, true],
      ZipCode: ['Address 1: ZIP/Postal Code', 0.8, true],
      City: ['Address 1: City', 0.8, true],
      State: ['Address 1: State/Province', 0.8, true],
      TimeZone: [null, 0, false],
    });
  });

  it('never maps a low-confidence pair and uses each header once', () => {
    for (const headers of [SALESFORCE, HUBSPOT, DYNAMICS, ['Phone', 'Telephone', 'Tel']]) {
      const matches = autoMatch(headers, schema);
      for (const match of matches)
        expect(match.autoMap).toBe(match.confidence >= AUTO_MAP_CONFIDENCE);
      const used = matches.map((match) => match.csvHeader).filter((header) => header !== null);
      expect(new Set(used).size).toBe(used.length);
    }
    // Three generic phone headers against home/work/mobile: suggestions, never automatic.
    expect(autoMatch(['Phone', 'Telephone', 'Tel'], schema).some((match) => match.autoMap)).toBe(
      false,
    );
  });

  it('offers alternatives for the drop-down', () => {
    const mobile = autoMatch(SALESFORCE, schema).find(
      (match) => match.listColumn === 'MobilePhone',
    );
    expect(mobile?.alternatives.map((alternative) => alternative.csvHeader)).toEqual([
      'Phone',
      'Home Phone',
    ]);
  });
});

describe('scoring pieces', () => {
  it('exact beats normalised beats synonym beats fuzzy', () => {
    expect(scorePair('Email', 'Email')).toEqual({ confidence: 1, method: 'exact' });
    expect(scorePair('e-mail', 'EMail')).toEqual({ confidence: 0.95, method: 'normalised' });
    expect(scorePair('Cell', 'MobilePhone')).toEqual({ confidence: 0.9, method: 'synonym' });
    expect(scorePair('Given Name', 'FirstName')).toEqual({ confidence: 0.9, method: 'synonym' });
    expect(scorePair('Surname', 'LastName')).toEqual({ confidence: 0.9, method: 'synonym' });
    const typo = scorePair('Emial', 'Email');
    expect(typo.method).toBe('fuzzy');
    expect(typo.confidence).toBeLessThan(AUTO_MAP_CONFIDENCE);
  });

  it('splits camelCase and drops noise words', () => {
    expect(canonicalTokens('MobilePhoneNumber')).toEqual(['mobile', 'phone']);
    expect(canonicalTokens('ZIP/Postal Code')).toEqual(['zip']);
  });
});

describe('autoMapping (sluice prepare --auto-map)', () => {
  it('maps only confident pairs, ids from the mapped phone columns, and fits the file', () => {
    const mapping = autoMapping(SALESFORCE, schema);
    expect(Object.keys(mapping.columns).sort()).toEqual([
      'City',
      'Company',
      'Email',
      'FirstName',
      'HomePhone',
      'LastName',
      'MobilePhone',
      'State',
      'ZipCode',
    ]);
    expect(mapping.columns.MobilePhone?.source).toEqual({ kind: 'csv', header: 'Mobile' });
    expect(mapping.contactId).toEqual({ kind: 'hash', columns: ['MobilePhone', 'HomePhone'] });
    expect(() => createRowMapper(mapping, schema, { headers: SALESFORCE })).not.toThrow();
  });

  it('headers equal to list column names map exactly', () => {
    const mapping = autoMapping(schema.columnNames, schema);
    expect(
      Object.entries(mapping.columns).every(
        ([column, value]) => value.source.kind === 'csv' && value.source.header === column,
      ),
    ).toBe(true);
    expect(Object.keys(mapping.columns)).toHaveLength(12);
  });
});
