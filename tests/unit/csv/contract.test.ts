import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvChannels } from '../../../core/contract/csv';
import {
  autoMapping,
  autoMatch,
  prepareCsv,
  previewCsv,
  readContactListSchema,
} from '../../../core/csv/index';
import { CONTACT_LIST_JSON } from './helpers';

describe('core/contract/csv: the real results fit the channel schemas', () => {
  it('autoMatch, preview and prepare', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sluice-csv-contract-'));
    try {
      const path = join(folder, 'a.csv');
      await writeFile(path, 'CustomerId,First Name,Mobile\nC1,Ann,555-01\nC2,Bob,+12125550199\n');
      const schema = readContactListSchema(CONTACT_LIST_JSON);
      const headers = ['CustomerId', 'First Name', 'Mobile'];
      const mapping = {
        ...autoMapping(headers, schema),
        phone: { normalize: true, invalid: 'reject' as const, defaultCountry: 'US' },
      };
      expect(
        csvChannels['csv:autoMatch'].request.safeParse({ path, list: CONTACT_LIST_JSON }).success,
      ).toBe(true);
      expect(
        csvChannels['csv:autoMatch'].response.parse({
          headers,
          matches: autoMatch(headers, schema),
          mapping,
        }).headers,
      ).toEqual(headers);
      const preview = await previewCsv(path, mapping, schema);
      expect(csvChannels['csv:preview'].response.parse(preview).rows).toHaveLength(2);
      const summary = await prepareCsv({
        csvPath: path,
        schema,
        mapping,
        outPath: join(folder, 'c.csv'),
        rejectsPath: join(folder, 'r.csv'),
      });
      expect(csvChannels['csv:prepare'].response.parse(summary)).toMatchObject({
        rowsRead: 2,
        clean: 1,
        rejected: 1,
      });
      expect(
        csvChannels['csv:preview'].request.safeParse({ path, list: { columnNames: [] }, mapping })
          .success,
      ).toBe(false);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
