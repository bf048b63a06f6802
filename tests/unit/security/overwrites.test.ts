import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContactListSchema, readMapping, type Mapping } from '../../../core/csv';
import { MappingTemplateStore } from '../../../core/csv/templates';
import { createServices, dispatch } from '../../../core/services';
import { writeFileAtomically } from '../../../core/store';
import { plantPredictableTemp, UNTOUCHED } from '../../support/planted-symlink';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-overwrites-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const listJson = { name: 'L', columnNames: ['Email', 'Region'], phoneColumns: [] };
const schema = readContactListSchema(listJson, 'list');
const mappingFor = (header: string): Mapping =>
  readMapping({
    columns: { Email: { source: { kind: 'csv', header } } },
    contactId: { kind: 'column', column: 'Email' },
  });

describe('mapping templates', () => {
  it('names that slug alike keep separate files', async () => {
    const store = new MappingTemplateStore(folder);
    await store.save('Leads Q1 EU', mappingFor('eu'), schema);
    await store.save('Leads Q1 (EU)', mappingFor('paren'), schema);
    expect((await store.list()).map((template) => template.name)).toEqual([
      'Leads Q1 (EU)',
      'Leads Q1 EU',
    ]);
    const eu = await store.load('Leads Q1 EU');
    expect(eu.template.mapping.columns.Email?.source).toEqual({ kind: 'csv', header: 'eu' });
  });

  it('a template saved under the older file name still loads, and is moved on save', async () => {
    const store = new MappingTemplateStore(folder);
    await store.save('Renewals', mappingFor('mail'), schema);
    const [file] = readdirSync(folder);
    const legacy = path.join(folder, 'renewals-UmVuZXdhbHM.json');
    writeFileSync(legacy, readFileSync(path.join(folder, file!)));
    rmSync(path.join(folder, file!));
    expect((await store.load('Renewals')).template.name).toBe('Renewals');
    await store.save('Renewals', mappingFor('mail2'), schema);
    expect(readdirSync(folder)).toHaveLength(1);
    expect(existsSync(legacy)).toBe(false);
  });

  it('writes through a random, exclusive temporary file: a planted symlink is not followed', async () => {
    const target = path.join(folder, 'out.json');
    const victim = plantPredictableTemp(target);
    await writeFileAtomically(target, '{"ok":true}\n');
    expect(readFileSync(victim, 'utf8')).toBe(UNTOUCHED);
    expect(readFileSync(target, 'utf8')).toBe('{"ok":true}\n');
    // The same through the template store.
    const store = new MappingTemplateStore(folder);
    await store.save('Renewals', mappingFor('mail'), schema);
    const saved = readdirSync(folder).find((name) => name.startsWith('renewals-'));
    plantPredictableTemp(path.join(folder, saved!), victim);
    await store.save('Renewals', mappingFor('other'), schema);
    expect(readFileSync(victim, 'utf8')).toBe(UNTOUCHED);
  });
});

describe('services ask before replacing a file', () => {
  it('mappings:export refuses an existing file unless overwrite is set', async () => {
    const services = createServices({ version: 't', dataFolder: folder, shell: 'web-host' });
    writeFileSync(path.join(folder, 'list.json'), JSON.stringify(listJson));
    const source = { kind: 'file', path: path.join(folder, 'list.json') };
    await dispatch(services, 'mappings:save', { name: 'M', mapping: mappingFor('x'), source });
    const exported = path.join(folder, 'shared.json');
    writeFileSync(exported, 'edited by hand\n');
    expect(
      await dispatch(services, 'mappings:export', { name: 'M', path: exported }),
    ).toMatchObject({
      ok: false,
      error: { code: 'exists', message: expect.stringContaining('already exists') },
    });
    expect(readFileSync(exported, 'utf8')).toBe('edited by hand\n');
    expect(
      await dispatch(services, 'mappings:export', { name: 'M', path: exported, overwrite: true }),
    ).toMatchObject({ ok: true });
    expect(readFileSync(exported, 'utf8')).toContain('sluice-mapping-template');
  });

  it('csv:prepare refuses an output that is its input or the other output', async () => {
    const services = createServices({ version: 't', dataFolder: folder, shell: 'web-host' });
    writeFileSync(path.join(folder, 'list.json'), JSON.stringify(listJson));
    const input = path.join(folder, 'in.csv');
    writeFileSync(input, 'Email\na@example.com\n');
    const base = {
      jobId: 'j',
      path: input,
      source: { kind: 'file', path: path.join(folder, 'list.json') },
      mapping: mappingFor('Email'),
      overwrite: true,
    };
    for (const [outPath, rejectsPath] of [
      [input, path.join(folder, 'r.csv')],
      [path.join(folder, 'o.csv'), path.join(folder, '.', 'in.csv')],
      [path.join(folder, 'same.csv'), path.join(folder, 'same.csv')],
    ]) {
      expect(
        await dispatch(services, 'csv:prepare', { ...base, outPath, rejectsPath }),
      ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    expect(readFileSync(input, 'utf8')).toBe('Email\na@example.com\n');
  });
});
