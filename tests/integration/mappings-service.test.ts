import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../core/contract';
import { createServices } from '../../core/services';
import { Mapping } from '../../core/csv/mapping';

let folder: string;
let services: Services;
const listV1 = {
  id: 'l1',
  name: 'Renewals',
  columnNames: ['CustomerId', 'FirstName', 'MobilePhone'],
  phoneColumns: [{ columnName: 'MobilePhone', type: 'cell' }],
};
const listV2 = { ...listV1, columnNames: ['CustomerId', 'GivenName', 'MobilePhone'] };
const mapping = Mapping.parse({
  columns: {
    CustomerId: { source: { kind: 'csv' as const, header: 'Customer Id' } },
    MobilePhone: { source: { kind: 'csv' as const, header: 'Mobile' } },
  },
  contactId: { kind: 'column' as const, column: 'CustomerId' },
});

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-mappings-'));
  writeFileSync(path.join(folder, 'v1.json'), JSON.stringify(listV1));
  writeFileSync(path.join(folder, 'v2.json'), JSON.stringify(listV2));
  services = createServices({ version: '0', dataFolder: folder, shell: 'web-host' });
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const v1 = () => ({ kind: 'file' as const, path: path.join(folder, 'v1.json') });
const v2 = () => ({ kind: 'file' as const, path: path.join(folder, 'v2.json') });

describe('mapping templates service', () => {
  it('saves, lists and loads a template for the same list without a warning', async () => {
    const saved = await services['mappings:save']({ name: 'CRM export', mapping, source: v1() });
    expect(saved.name).toBe('CRM export');
    expect((await services['mappings:list']({})).map((t) => t.name)).toEqual(['CRM export']);
    const loaded = await services['mappings:load']({ name: 'CRM export', source: v1() });
    expect(loaded.mapping.columns.MobilePhone?.source).toEqual({ kind: 'csv', header: 'Mobile' });
    expect(loaded.warning).toBeUndefined();
  });

  it('warns, naming the columns, when the list changed since the template was saved', async () => {
    const loaded = await services['mappings:load']({ name: 'CRM export', source: v2() });
    expect(loaded.warning).toMatch(/FirstName|GivenName/);
  });

  it('renames, exports, imports and deletes; a missing template is a clear error', async () => {
    await services['mappings:rename']({ from: 'CRM export', to: 'Salesforce export' });
    const exported = path.join(folder, 'shared.json');
    await services['mappings:export']({
      name: 'Salesforce export',
      path: exported,
      overwrite: false,
    });
    expect(existsSync(exported)).toBe(true);
    expect(await services['mappings:delete']({ name: 'Salesforce export' })).toEqual({
      deleted: true,
    });
    expect(await services['mappings:list']({})).toEqual([]);
    const imported = await services['mappings:import']({ path: exported, source: v1() });
    expect(imported.name).toBe('Salesforce export');
    await expect(services['mappings:load']({ name: 'Nope', source: v1() })).rejects.toThrow(
      /no mapping template named "Nope"/,
    );
  });
});
