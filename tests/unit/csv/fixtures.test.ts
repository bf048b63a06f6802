import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists } from '../../support/temp-folder';
import { CsvFileError } from '../../../core/csv/errors';
import { csvRecords } from '../../support/csv-records';
import { readMapping } from '../../../core/csv/mapping';
import { prepareCsv } from '../../../core/csv/prepare';
import { FIXTURE_MAPPING, FIXTURES } from './fixtures';
import { testSchema } from './helpers';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-csv-fixtures-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('fixture suite: every awkward file gives its documented result', () => {
  it('has at least 25 fixtures', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(25);
  });

  FIXTURES.forEach((fixture, index) => {
    it(fixture.name, async () => {
      const csvPath = join(folder, `fixture-${index}.csv`);
      const outPath = join(folder, `fixture-${index}.clean.csv`);
      const rejectsPath = join(folder, `fixture-${index}.rejects.csv`);
      await writeFile(csvPath, fixture.bytes);
      const run = prepareCsv({
        csvPath,
        schema: testSchema(),
        mapping: readMapping({ ...FIXTURE_MAPPING, ...fixture.mapping }),
        outPath,
        rejectsPath,
        chunkBytes: fixture.chunkBytes,
      });
      const expected = fixture.expect;
      if ('error' in expected) {
        const error = await run.then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(CsvFileError);
        expect((error as CsvFileError).reason).toBe(expected.error);
        expect((error as Error).message).toContain(csvPath);
        expect(await exists(outPath)).toBe(false);
        return;
      }
      const summary = await run;
      expect(summary.rowsRead).toBe(summary.clean + summary.rejected);
      expect({
        rowsRead: summary.rowsRead,
        clean: summary.clean,
        rejected: summary.rejected,
      }).toEqual({
        rowsRead: expected.rowsRead,
        clean: expected.clean,
        rejected: expected.rejected,
      });
      if (expected.byRule) expect(summary.byRule).toEqual(expected.byRule);
      if (expected.encoding) expect(summary.encoding).toBe(expected.encoding);
      if (expected.delimiter) expect(summary.delimiter).toBe(expected.delimiter);
      expect(summary.headerProblems).toHaveLength(expected.headerProblems ?? 0);

      const cleanRows = await csvRecords(outPath).catch((error: unknown) => {
        if (error instanceof CsvFileError && expected.clean === 0) return [];
        throw error;
      });
      expect(cleanRows).toHaveLength(summary.clean);
      if (expected.cleanRows) {
        expect(cleanRows).toHaveLength(expected.cleanRows.length);
        expected.cleanRows.forEach((row, rowIndex) =>
          expect(cleanRows[rowIndex]).toMatchObject(row),
        );
      }
      const rejectsText = await readFile(rejectsPath, 'utf8');
      expect(rejectsText.startsWith('\ufeffSluice row,Sluice rules,Sluice reasons')).toBe(true);
      if (summary.rejected > 0)
        expect(await csvRecords(rejectsPath)).toHaveLength(summary.rejected);
      for (const fragment of expected.rejectsContain ?? []) expect(rejectsText).toContain(fragment);
    });
  });
});
