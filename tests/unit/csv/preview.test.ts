import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMapping } from '../../../core/csv/mapping';
import { previewCsv } from '../../../core/csv/preview';
import { FIXTURE_MAPPING, HEADER } from './fixtures';
import { testSchema } from './helpers';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-preview-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('previewCsv', () => {
  it('maps the first N rows with per-cell and per-row problems', async () => {
    const lines = [
      HEADER.join(';'),
      'C1;Ann;Lee;(212) 555-0199;;a@example.com',
      'C2;Bob;Ray;555-01;;b@example.com',
      'C1;Cy;Doe;;2125550144;',
      'C4;Short',
    ];
    for (let index = 5; index < 200; index += 1) lines.push(`C${index};N;M;2125550100;;`);
    const path = join(folder, 'preview.csv');
    await writeFile(path, lines.join('\n'));
    const preview = await previewCsv(path, readMapping(FIXTURE_MAPPING), testSchema(), { rows: 4 });
    expect(preview.delimiter).toBe(';');
    expect(preview.headers).toEqual(HEADER);
    expect(preview.rows.map((row) => [row.rowNumber, row.ok])).toEqual([
      [2, true],
      [3, false],
      [4, false],
      [5, false],
    ]);
    expect(preview.rows[0]?.cells.MobilePhone).toEqual({ value: '+12125550199', problems: [] });
    expect(preview.rows[0]?.contactId).toBe('C1');
    expect(preview.rows[1]?.cells.MobilePhone?.problems[0]?.message).toBe(
      "Row 3: MobilePhone '555-01' is not a valid phone number for US",
    );
    expect(preview.rows[1]?.source.Mobile).toBe('555-01');
    expect(preview.rows[2]?.rowProblems.map((problem) => problem.rule)).toEqual(['duplicate-id']);
    expect(preview.rows[3]?.rowProblems.map((problem) => problem.rule)).toEqual(['ragged-row']);
  });
});
