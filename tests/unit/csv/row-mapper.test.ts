import { describe, expect, it } from 'vitest';
import { createCellMapper } from '../../../core/csv/cell-mapper';
import { createRowMapper } from '../../../core/csv/row-mapper';
import type { RowResult } from '../../../core/csv/row-mapper';
import { readMapping } from '../../../core/csv/mapping';
import type { MappingInput } from '../../../core/csv/mapping';
import { FingerprintTable } from '../../../core/csv/fingerprint-table';
import { testSchema } from './helpers';

const baseMapping: MappingInput = {
  columns: {
    CustomerId: { source: { kind: 'csv', header: 'Id' } },
    FirstName: {
      source: { kind: 'csv', header: 'First' },
      transforms: [{ kind: 'case', to: 'title' }],
    },
    LastName: { source: { kind: 'csv', header: 'Last' }, defaultWhenEmpty: 'Unknown' },
    MobilePhone: { source: { kind: 'csv', header: 'Mobile' } },
    Balance: { source: { kind: 'csv', header: 'Balance' } },
    DueDate: {
      source: { kind: 'csv', header: 'Due' },
      transforms: [{ kind: 'date', from: 'DD/MM/YYYY', to: 'YYYY-MM-DD' }],
    },
  },
  contactId: { kind: 'column', column: 'CustomerId' },
  phone: { defaultCountry: 'US' },
};

function row(rowNumber: number, fields: Record<string, string>) {
  return {
    rowNumber,
    fields: {
      Id: 'C1',
      First: 'ann',
      Last: 'Lee',
      Mobile: '(212) 555-0199',
      Balance: '12.5',
      Due: '01/03/2024',
      ...fields,
    },
  };
}

function problems(result: RowResult) {
  return result.ok ? [] : result.problems;
}

describe('createRowMapper', () => {
  const schema = testSchema();

  it('maps, transforms and normalises a good row; unmapped list columns are empty', () => {
    const mapRow = createRowMapper(readMapping(baseMapping), schema);
    const result = mapRow(row(2, {}));
    expect(result).toEqual({
      ok: true,
      rowNumber: 2,
      contact: {
        id: 'C1',
        data: {
          CustomerId: 'C1',
          FirstName: 'Ann',
          LastName: 'Lee',
          MobilePhone: '+12125550199',
          HomePhone: '',
          Email: '',
          Balance: '12.5',
          DueDate: '2024-03-01',
        },
      },
      // The same values in the schema's column order.
      cells: ['C1', 'Ann', 'Lee', '+12125550199', '', '', '12.5', '2024-03-01'],
    });
  });

  it('writes messages a consultant understands, one problem per broken rule', () => {
    const mapRow = createRowMapper(readMapping(baseMapping), schema);
    const result = mapRow(
      row(1204, { Mobile: '555-01', Balance: 'abc', Due: '2024-13-45', First: 'x'.repeat(41) }),
    );
    expect(result.ok).toBe(false);
    const found = problems(result);
    expect(found.map((problem) => problem.rule).sort()).toEqual([
      'date-format',
      'max-length',
      'numeric',
      'phone',
    ]);
    expect(found.find((problem) => problem.rule === 'phone')?.message).toBe(
      "Row 1,204: MobilePhone '555-01' is not a valid phone number for US",
    );
    expect(found.every((problem) => problem.rowNumber === 1204)).toBe(true);
  });

  it('rejects values over 512 characters and NUMERIC values out of range', () => {
    const mapRow = createRowMapper(
      readMapping({
        ...baseMapping,
        columns: { ...baseMapping.columns, Email: { source: { kind: 'csv', header: 'Note' } } },
      }),
      schema,
    );
    const result = mapRow(row(3, { Note: 'n'.repeat(513), Balance: '100001' }));
    expect(problems(result).map((problem) => [problem.column, problem.rule])).toEqual([
      ['Email', 'max-length'],
      ['Balance', 'numeric'],
    ]);
    expect(createRowMapper(readMapping(baseMapping), schema)(row(4, { Balance: '-1' })).ok).toBe(
      false,
    );
  });

  it('keeps invalid phones when the mapping says so, and needs a default country for national numbers', () => {
    const keep = createRowMapper(
      readMapping({ ...baseMapping, phone: { defaultCountry: 'US', invalid: 'keep' } }),
      schema,
    );
    const kept = keep(row(2, { Mobile: '555-01' }));
    expect(kept.ok && kept.contact.data.MobilePhone).toBe('555-01');
    const noCountry = createRowMapper(readMapping({ ...baseMapping, phone: {} }), schema);
    expect(problems(noCountry(row(2, {})))[0]?.message).toMatch(/no default phone country/);
    expect(noCountry(row(2, { Mobile: '+44 20 7946 0958' }))).toMatchObject({
      ok: true,
      contact: { data: { MobilePhone: '+442079460958' } },
    });
    const override = createRowMapper(readMapping({ ...baseMapping, phone: {} }), schema, {
      defaultCountry: 'GB',
    });
    expect(override(row(2, { Mobile: '020 7946 0958' }))).toMatchObject({
      ok: true,
      contact: { data: { MobilePhone: '+442079460958' } },
    });
    const off = createRowMapper(readMapping(baseMapping), schema, { normalizePhones: false });
    expect(off(row(2, { Mobile: '555-01' }))).toMatchObject({
      ok: true,
      contact: { data: { MobilePhone: '555-01' } },
    });
  });

  it('concatenates, uses constants and defaults, and enforces required', () => {
    const mapping = readMapping({
      ...baseMapping,
      columns: {
        ...baseMapping.columns,
        FirstName: {
          source: {
            kind: 'concat',
            parts: [
              { kind: 'csv', header: 'First' },
              { kind: 'csv', header: 'Middle' },
            ],
            separator: ' ',
          },
        },
        Email: { source: { kind: 'constant', value: 'none@example.com' } },
        HomePhone: { source: { kind: 'csv', header: 'Home' }, required: true },
      },
    });
    const result = createRowMapper(mapping, schema)(row(9, { First: 'Ann', Middle: '', Home: '' }));
    expect(result.contact?.data.FirstName).toBe('Ann');
    expect(result.contact?.data.Email).toBe('none@example.com');
    expect(result.contact?.data.LastName).toBe('Lee');
    expect(problems(result).map((problem) => problem.rule)).toEqual(['required']);
  });

  it('hash ids are deterministic and depend only on the chosen columns', () => {
    const mapping = readMapping({
      ...baseMapping,
      contactId: { kind: 'hash', columns: ['MobilePhone', 'LastName'] },
    });
    const first = createRowMapper(mapping, schema)(row(2, { First: 'a' }));
    const again = createRowMapper(mapping, schema)(row(7, { First: 'b', Mobile: '212-555-0199' }));
    const other = createRowMapper(mapping, schema)(row(2, { Last: 'Ray' }));
    expect(first.contact?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(again.contact?.id).toBe(first.contact?.id);
    expect(other.contact?.id).not.toBe(first.contact?.id);
  });

  it('rejects a row without contact id', () => {
    const result = createRowMapper(readMapping(baseMapping), schema)(row(5, { Id: '  ' }));
    expect(problems(result)).toEqual([
      expect.objectContaining({
        rule: 'contact-id',
        message: 'Row 5: has no contact id: CustomerId is empty',
      }),
    ]);
  });

  it('keep-first rejects later duplicates; keep-last and reject-all use an index', () => {
    const keepFirst = createRowMapper(readMapping(baseMapping), schema);
    expect([
      keepFirst(row(2, {})).ok,
      keepFirst(row(3, {})).ok,
      keepFirst(row(4, { Id: 'C2' })).ok,
    ]).toEqual([true, false, true]);

    const index = new FingerprintTable(true);
    index.add('C1', 2);
    index.add('C1', 3);
    index.add('C2', 4);
    const keepLast = createRowMapper(
      readMapping({ ...baseMapping, duplicateIds: 'keep-last' }),
      schema,
      { duplicates: { mode: 'keep-last', index } },
    );
    expect([
      keepLast(row(2, {})).ok,
      keepLast(row(3, {})).ok,
      keepLast(row(4, { Id: 'C2' })).ok,
    ]).toEqual([false, true, true]);
    const rejectAll = createRowMapper(
      readMapping({ ...baseMapping, duplicateIds: 'reject-all' }),
      schema,
      { duplicates: { mode: 'reject-all', index } },
    );
    expect([
      rejectAll(row(2, {})).ok,
      rejectAll(row(3, {})).ok,
      rejectAll(row(4, { Id: 'C2' })).ok,
    ]).toEqual([false, false, true]);
    expect(() =>
      createRowMapper(readMapping({ ...baseMapping, duplicateIds: 'keep-last' }), schema),
    ).toThrow(/needs the whole file/);
  });

  it('refuses a mapping that does not fit the list or the file', () => {
    expect(() =>
      createRowMapper(
        readMapping({
          ...baseMapping,
          columns: { Nope: { source: { kind: 'csv', header: 'Id' } } },
        }),
        schema,
      ),
    ).toThrow(/"Nope" is not in the contact list/);
    expect(() =>
      createRowMapper(readMapping(baseMapping), schema, { headers: ['Id', 'First'] }),
    ).toThrow(/reads CSV column "Last", which the file does not have/);
  });

  it('says once that nothing is mapped, rather than one problem per list column', () => {
    // What auto-match proposes for a sheet whose headers match no list column.
    const nothingMapped = readMapping({
      columns: {},
      contactId: { kind: 'hash', columns: [...schema.columnNames] },
    });
    expect(() => createRowMapper(nothingMapped, schema, { headers: ['Read me'] })).toThrow(
      "No column is mapped: none of the file's columns matched the contact list's.",
    );
    expect(() => createRowMapper(nothingMapped, schema, { headers: ['Read me'] })).not.toThrow(
      /is not mapped/,
    );
  });

  it('carries the row’s own shape problems', () => {
    const result = createRowMapper(
      readMapping(baseMapping),
      schema,
    )({
      ...row(6, {}),
      problems: [
        { rowNumber: 6, column: null, value: '', rule: 'ragged-row', message: 'Row 6 has 3 cells' },
      ],
    });
    expect(problems(result).map((problem) => problem.rule)).toEqual(['ragged-row']);
  });
});

describe('createCellMapper', () => {
  const schema = testSchema();
  const mapping = readMapping({
    ...baseMapping,
    columns: {
      ...baseMapping.columns,
      Email: { source: { kind: 'csv', header: 'Mail' }, required: true },
      HomePhone: { source: { kind: 'csv', header: 'Home' } },
    },
  });
  const headers = ['Id', 'First', 'Last', 'Mobile', 'Balance', 'Due', 'Mail', 'Home'];
  const cases: Array<Record<string, string>> = [
    {},
    { Id: '  C2 ', Mail: '  ann@example.com  ', Home: ' 212 555 0100 ' },
    { Id: 'C3', Mail: '' },
    { Id: 'C4', Home: 'x'.repeat(513) },
    { Id: 'C5', Balance: 'lots', Due: 'soon', First: '' },
    { Id: '' },
    { Id: 'C1' },
  ];
  const inputs: Array<Record<string, string>> = cases.map(
    (fields) => row(0, { Mail: 'ann@example.com', ...fields }).fields,
  );

  it('reads rows by position exactly as it reads them by name', () => {
    // By name (no headers) every column takes the general path; by position (headers, values)
    // plain copies take the direct one: the results must not differ. Phones are not normalised,
    // so the phone columns are plain copies with only the length rule.
    const byName = createRowMapper(mapping, schema, { normalizePhones: false });
    const byPosition = createCellMapper(mapping, schema, { headers, normalizePhones: false });
    inputs.forEach((fields, index) => {
      const rowNumber = index + 2;
      const named = byName({ rowNumber, fields });
      const positioned = byPosition({
        rowNumber,
        fields: {},
        values: headers.map((header) => fields[header] ?? ''),
      });
      expect(positioned.ok).toBe(named.ok);
      expect(positioned.problems).toEqual(named.ok ? [] : named.problems);
      expect(positioned.id).toBe(named.contact?.id);
      expect(positioned.cells).toEqual(schema.columnNames.map((name) => named.contact?.data[name]));
    });
    // The cases above do reach the rules the direct path skips for plain columns.
    const again = createRowMapper(mapping, schema, { normalizePhones: false });
    const rules = inputs.flatMap((fields, index) =>
      problems(again({ rowNumber: 100 + index, fields })).map((problem) => problem.rule),
    );
    expect(new Set(rules)).toEqual(
      new Set(['required', 'max-length', 'numeric', 'date-format', 'contact-id', 'duplicate-id']),
    );
  });

  it('reports a broken row shape alone, without reading cells', () => {
    const shape = [
      { rowNumber: 9, column: null, value: '', rule: 'ragged-row' as const, message: 'Row 9 …' },
    ];
    const result = createCellMapper(mapping, schema, { headers, normalizePhones: false })({
      rowNumber: 9,
      fields: {},
      values: ['C9'],
      problems: shape,
    });
    expect(result).toEqual({ ok: false, rowNumber: 9, id: '', cells: undefined, problems: shape });
  });
});

describe('FingerprintTable', () => {
  it('tracks ids, counts and last rows across growth', () => {
    const table = new FingerprintTable(true);
    // One assertion for the loop: 200,000 expect() calls alone outlast the test timeout on a busy machine.
    let added = 0;
    for (let index = 0; index < 200_000; index += 1)
      if (table.add(`id-${index}`, index + 2)) added += 1;
    expect(added).toBe(200_000);
    expect(table.add('id-5', 999_999)).toBe(false);
    expect(table.distinct).toBe(200_000);
    expect(table.count('id-5')).toBe(2);
    expect(table.lastRow('id-5')).toBe(999_999);
    expect(table.count('id-6')).toBe(1);
    expect(table.lastRow('id-199999')).toBe(200_001);
    expect(table.count('never')).toBe(0);
  });

  it('presizes to the smallest power of two that keeps the load at most 4/5', () => {
    // 6 bytes a slot: 32 hash bits, 10 more and a 6-bit distance (fingerprint-table.ts).
    expect(FingerprintTable.bytesFor(1_000_000, false)).toBe(2 ** 21 * 6);
    // 3M ids fit in 4M slots (75% load): a 3× file needs 2× the index, not 4×.
    expect(FingerprintTable.bytesFor(3_000_000, false)).toBe(2 ** 22 * 6);
    expect(FingerprintTable.bytesFor(3_400_000, false)).toBe(2 ** 23 * 6);
    expect(FingerprintTable.bytesFor(3_000_000, true)).toBe(2 ** 22 * 11);
  });
});
