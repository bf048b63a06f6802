import { openCsv } from '../../core/csv/csv-source';

/** Every row of the CSV or workbook at `path` as Sluice reads it back: header → value, in order. */
export async function csvRecords(path: string): Promise<Array<Record<string, string>>> {
  const rows: Array<Record<string, string>> = [];
  for await (const row of await openCsv(path)) rows.push({ ...row.fields });
  return rows;
}
