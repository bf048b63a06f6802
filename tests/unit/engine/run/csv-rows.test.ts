import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMapping } from '../../../../core/csv/mapping';
import { csvSourceRows } from '../../../../core/engine/run/csv-rows';
import { testSchema } from '../../csv/helpers';
import { tempFolder } from '../../../support/temp-folder';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function csvFile(rows: number): string {
  const folder = tempFolder('sluice-csv-rows-');
  folders.push(folder);
  const path = join(folder, 'contacts.csv');
  const lines = ['Id,First,Mobile'];
  for (let n = 1; n <= rows; n += 1)
    lines.push(`C${n},Ann,(212) 555-${String(n % 10_000).padStart(4, '0')}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('csvSourceRows', () => {
  it("gives the file's rough row count once a pass opened it, and every row on every pass", async () => {
    const stream = csvSourceRows({
      csvPath: csvFile(3000),
      mapping: readMapping({
        columns: {
          CustomerId: { source: { kind: 'csv', header: 'Id' } },
          FirstName: { source: { kind: 'csv', header: 'First' } },
          MobilePhone: { source: { kind: 'csv', header: 'Mobile' } },
        },
        contactId: { kind: 'column', column: 'CustomerId' },
        phone: { defaultCountry: 'US' },
      }),
      schema: testSchema(),
    });
    // nothing opened yet: no count to give
    expect(stream.estimatedRows()).toBeUndefined();
    for (let pass = 0; pass < 2; pass += 1) {
      let read = 0;
      for await (const row of stream()) {
        expect(row.ok).toBe(true);
        read += 1;
      }
      expect(read).toBe(3000);
    }
    // from the first 64 KB's line length: rough, near the real count for even lines
    expect(stream.estimatedRows()).toBeGreaterThan(2700);
    expect(stream.estimatedRows()).toBeLessThan(3300);
  });
});
