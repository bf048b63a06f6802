import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMapping } from '../../../core/csv/mapping';
import { readContactListSchema } from '../../../core/csv/schema';
import { MappingTemplateStore } from '../../../core/csv/templates';
import { CONTACT_LIST_JSON, testSchema } from './helpers';

const mapping = readMapping({
  columns: {
    CustomerId: { source: { kind: 'csv', header: 'Id' } },
    MobilePhone: { source: { kind: 'csv', header: 'Mobile' } },
  },
  contactId: { kind: 'column', column: 'CustomerId' },
});

let folder: string;
let store: MappingTemplateStore;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-templates-'));
  store = new MappingTemplateStore(join(folder, 'templates'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('MappingTemplateStore', () => {
  it('saves, lists, loads, renames and deletes', async () => {
    expect(await store.list()).toEqual([]);
    await store.save('Salesforce renewals', mapping, testSchema());
    await store.save('HubSpot', mapping, testSchema());
    expect((await store.list()).map((template) => template.name)).toEqual([
      'HubSpot',
      'Salesforce renewals',
    ]);
    const loaded = await store.load('Salesforce renewals', testSchema());
    expect(loaded.template.mapping).toEqual(mapping);
    expect(loaded.warning).toBeUndefined();

    await store.rename('HubSpot', 'HubSpot EU');
    expect((await store.list()).map((template) => template.name)).toEqual([
      'HubSpot EU',
      'Salesforce renewals',
    ]);
    await expect(store.rename('HubSpot EU', 'Salesforce renewals')).rejects.toThrow(
      /already exists/,
    );
    await store.delete('HubSpot EU');
    expect((await store.list()).map((template) => template.name)).toEqual(['Salesforce renewals']);
    await expect(store.load('HubSpot EU')).rejects.toThrow(
      'There is no mapping template named "HubSpot EU"',
    );
  });

  it('exports and imports a versioned file with the schema fingerprint, warning when the list changed', async () => {
    await store.save('Renewals', mapping, testSchema());
    const exported = join(folder, 'renewals.json');
    await store.exportTo('Renewals', exported);
    const json = JSON.parse(await readFile(exported, 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ format: 'sluice-mapping-template', version: 1, name: 'Renewals' });
    expect(json.schemaFingerprint).toMatch(/^[0-9a-f]{16}$/);

    const otherOrg = new MappingTemplateStore(join(folder, 'other-org'));
    const changedList = readContactListSchema({
      ...CONTACT_LIST_JSON,
      columnNames: CONTACT_LIST_JSON.columnNames
        .filter((name) => name !== 'MobilePhone')
        .concat('WorkPhone'),
      phoneColumns: [{ columnName: 'HomePhone', type: 'home' }],
    });
    const imported = await otherOrg.importFrom(exported, changedList);
    expect(imported.warning).toBe(
      'The contact list\'s columns changed since "Renewals" was saved (new columns WorkPhone; missing columns MobilePhone). The mapping fills MobilePhone, which the list no longer has: remap before use.',
    );
    expect((await otherOrg.load('Renewals', testSchema())).warning).toBeUndefined();
  });

  it('refuses files that are not templates, with the file named', async () => {
    const bad = join(folder, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 99 }));
    await expect(store.importFrom(bad)).rejects.toThrow(
      /bad\.json is not a Sluice mapping template/,
    );
    await writeFile(bad, 'not json');
    await expect(store.importFrom(bad)).rejects.toThrow(
      /bad\.json is not a mapping template \(not JSON\)/,
    );
  });
});
