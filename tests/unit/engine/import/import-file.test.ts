import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ImportFileWriter,
  contactCells,
  importCell,
  importColumns,
  importRowProblem,
  readImportFile,
} from '../../../../core/engine/import/import-file';
import type { EngineContact } from '../../../../core/engine/types';

const root = mkdtempSync(join(tmpdir(), 'sluice-import-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LIST = new Set(['Id', 'Phone', 'Name']);

describe('import file', () => {
  it('adds the id column only when the list does not have it', () => {
    expect(importColumns(['Id', 'Phone'], 'Id')).toEqual(['Id', 'Phone']);
    expect(importColumns(['Id', 'Phone'], 'SluiceContactId')).toEqual([
      'Id',
      'Phone',
      'SluiceContactId',
    ]);
  });

  it('quotes only what CSV needs and never adds a formula prefix (the file is data)', () => {
    expect(importCell('plain')).toBe('plain');
    expect(importCell('=SUM(A1)')).toBe('=SUM(A1)');
    expect(importCell('+44 20')).toBe('+44 20');
    expect(importCell('a, b')).toBe('"a, b"');
    expect(importCell('say "hi"')).toBe('"say ""hi"""');
    expect(importCell('two\nlines')).toBe('"two\nlines"');
    expect(importCell(' padded ')).toBe('" padded "');
    expect(importCell('')).toBe('');
  });

  it('puts the id in the id column and leaves absent list columns empty', () => {
    const contact: EngineContact = { id: 'h1', data: { Phone: '+13175550100' } };
    expect(contactCells(contact, ['Id', 'Phone', 'Name', 'Extra'], 'Extra')).toEqual([
      '',
      '+13175550100',
      '',
      'h1',
    ]);
  });

  it('names the rows an import cannot carry', () => {
    const ok = { id: '1', data: { Id: '1', Phone: '+13175550100' } };
    expect(importRowProblem(ok, LIST, 'Id', 512)).toBeUndefined();
    expect(importRowProblem({ id: '', data: {} }, LIST, 'Id', 512)).toMatch(/no contact id/);
    expect(importRowProblem({ id: '1', data: { Id: '1', Shoe: '9' } }, LIST, 'Id', 512)).toMatch(
      /Column "Shoe" is not in the contact list/,
    );
    expect(importRowProblem({ id: '1', data: { Id: '2' } }, LIST, 'Id', 512)).toMatch(
      /differs from the value of the id column "Id"/,
    );
    expect(
      importRowProblem({ id: '1', data: { Id: '1', Name: 'x'.repeat(513) } }, LIST, 'Id', 512),
    ).toMatch(/"Name" is 513 characters, more than the 512/);
    expect(
      importRowProblem({ id: 'h', data: { Id: 'other' } }, LIST, 'SluiceContactId', 512),
    ).toBeUndefined();
  });

  it('streams rows to disk in chunks and reads them back exactly', async () => {
    const path = join(root, 'round-trip.csv');
    const columns = ['Id', 'Phone', 'Name', 'SluiceContactId'];
    const values = [
      'plain',
      'a, comma',
      'say "hi"',
      'two\r\nlines',
      '=SUM(A1)',
      ' padded ',
      '',
      'ünïcødé',
    ];
    const writer = await ImportFileWriter.create(path, columns, 64);
    const contacts: EngineContact[] = [];
    for (let n = 0; n < 200; n += 1) {
      const contact = {
        id: `hash-${n}`,
        data: { Id: `${n}`, Phone: `+1317555${1000 + n}`, Name: values[n % values.length] ?? '' },
      };
      contacts.push(contact);
      await writer.writeLine(contactCells(contact, columns, 'SluiceContactId'));
    }
    const bytes = await writer.close();
    const text = readFileSync(path, 'utf8');
    expect(Buffer.byteLength(text)).toBe(bytes);
    expect(text.startsWith('Id,Phone,Name,SluiceContactId\r\n')).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(200);
    expect(parsed.data[4]).toEqual({
      Id: '4',
      Phone: '+13175551004',
      Name: '=SUM(A1)',
      SluiceContactId: 'hash-4',
    });

    const back: EngineContact[] = [];
    for await (const contact of readImportFile(path, 'SluiceContactId', LIST)) back.push(contact);
    expect(back).toEqual(contacts);
  });
});
