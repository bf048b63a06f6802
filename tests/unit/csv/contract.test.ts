import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ColumnMatchShape,
  MappingShape,
  PrepareResult,
  ProblemShape,
} from '../../../core/contract/csv-pipeline';
import {
  autoMapping,
  autoMatch,
  prepareCsv,
  previewCsv,
  readContactListSchema,
} from '../../../core/csv/index';
import { CONTACT_LIST_JSON } from './helpers';

// The app's wired contract (core/contract/csv-pipeline.ts) passes core/csv values through: this
// catches drift between the pipeline's types and the contract's schemas.
describe('core/csv results fit the wired csv:* contract', () => {
  it('auto-match, mapping, preview problems and prepare summary', async () => {
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
      for (const match of autoMatch(headers, schema))
        expect(ColumnMatchShape.safeParse(match).success).toBe(true);
      expect(MappingShape.parse(JSON.parse(JSON.stringify(mapping)))).toEqual(mapping);
      const preview = await previewCsv(path, mapping, schema);
      const problems = preview.rows.flatMap((row) => [
        ...row.rowProblems,
        ...Object.values(row.cells).flatMap((cell) => cell.problems),
      ]);
      expect(problems).toHaveLength(1);
      for (const problem of problems) expect(ProblemShape.safeParse(problem).success).toBe(true);
      const outPath = join(folder, 'c.csv');
      const rejectsPath = join(folder, 'r.csv');
      const summary = await prepareCsv({ csvPath: path, schema, mapping, outPath, rejectsPath });
      expect(PrepareResult.parse({ ...summary, outPath, rejectsPath })).toMatchObject({
        rowsRead: 2,
        clean: 1,
        rejected: 1,
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
