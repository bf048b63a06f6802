import { describe, expect, it } from 'vitest';
import { readContactListSchema, schemaFingerprint } from '../../../core/csv/schema';
import { CsvFileError } from '../../../core/csv/errors';
import { CONTACT_LIST_JSON } from './helpers';

describe('readContactListSchema', () => {
  it('accepts the API JSON as returned, ignoring unknown fields', () => {
    const schema = readContactListSchema(CONTACT_LIST_JSON);
    expect(schema.columnNames).toHaveLength(8);
    expect(schema.phoneColumns.map((column) => column.columnName)).toEqual([
      'MobilePhone',
      'HomePhone',
    ]);
    expect(schema.columnDataTypeSpecifications[0]).toMatchObject({
      columnName: 'Balance',
      columnDataType: 'NUMERIC',
      max: 100000,
    });
    expect(schema).not.toHaveProperty('selfUri');
  });

  it('rejects 51 columns with a message naming the limit', () => {
    const json = {
      ...CONTACT_LIST_JSON,
      columnNames: Array.from({ length: 51 }, (_v, index) => `Column${index}`),
      phoneColumns: [],
      emailColumns: [],
      columnDataTypeSpecifications: [],
    };
    expect(() => readContactListSchema(json, 'list.json')).toThrow(
      /list\.json .*at most 50 columns/,
    );
  });

  it('rejects a 129-character column name', () => {
    const json = {
      ...CONTACT_LIST_JSON,
      columnNames: ['x'.repeat(129)],
      phoneColumns: [],
      emailColumns: [],
      columnDataTypeSpecifications: [],
    };
    expect(() => readContactListSchema(json)).toThrow(/longer than 128 characters/);
  });

  it('rejects a phone column that is not a list column, and duplicate names', () => {
    const json = {
      ...CONTACT_LIST_JSON,
      columnNames: ['A', 'A'],
      phoneColumns: [{ columnName: 'Phone', type: 'cell' }],
      emailColumns: [],
      columnDataTypeSpecifications: [],
    };
    try {
      readContactListSchema(json);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CsvFileError);
      expect((error as CsvFileError).reason).toBe('invalid-schema');
      expect((error as Error).message).toMatch(/"A" is listed twice/);
      expect((error as Error).message).toMatch(/"Phone" is used but not in columnNames/);
    }
  });

  it('rejects things that are not a contact list', () => {
    expect(() => readContactListSchema({ entities: [] })).toThrow(CsvFileError);
    expect(() => readContactListSchema(null)).toThrow(CsvFileError);
  });

  it('fingerprints columns: stable, and different when a column changes', () => {
    const schema = readContactListSchema(CONTACT_LIST_JSON);
    const same = readContactListSchema(structuredClone(CONTACT_LIST_JSON));
    const changed = readContactListSchema({
      ...CONTACT_LIST_JSON,
      columnNames: [...CONTACT_LIST_JSON.columnNames, 'Extra'],
    });
    expect(schemaFingerprint(schema)).toBe(schemaFingerprint(same));
    expect(schemaFingerprint(changed)).not.toBe(schemaFingerprint(schema));
  });
});
