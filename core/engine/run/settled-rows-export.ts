import { writeFileSync } from 'node:fs';
import { isXlsxPath, writeTableFile } from '../../csv';
import { formatCell, neutraliseFormula } from '../../csv/csv-writer';
import type { SettledRow } from '../journal/journal-records';

/**
 * One CSV cell for a report a consultant opens in a spreadsheet: formula-injection-safe
 * (docs/ARCHITECTURE.md, Row reports: a cell a spreadsheet would evaluate gets a leading `'`)
 * and quoted when needed, with the CSV pipeline's own rules so every file Sluice writes quotes
 * alike.
 */
export function csvCell(value: string | number | undefined): string {
  return formatCell(neutraliseFormula(value === undefined ? '' : String(value)));
}

/**
 * The table of the rows a consultant fixes and retries: reason columns first, then every data
 * column seen in the rows, rows in row-number order. Cells are raw text; the writer makes them
 * safe for a spreadsheet.
 */
export function settledRowsTable(rows: readonly SettledRow[]): string[][] {
  const dataColumns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column of Object.keys(row.data ?? {})) {
      if (!seen.has(column)) {
        seen.add(column);
        dataColumns.push(column);
      }
    }
  }
  const header = ['row', 'contactId', 'reason', 'status', 'code', 'correlationId', ...dataColumns];
  const table = [header];
  for (const row of [...rows].sort((a, b) => a.row - b.row)) {
    const cells = [row.row, row.contactId, row.reason, row.status, row.code, row.correlationId];
    for (const column of dataColumns) cells.push(row.data?.[column]);
    table.push(cells.map((cell) => (cell === undefined ? '' : String(cell))));
  }
  return table;
}

/**
 * The settled rows as the CSV text of a run folder's row reports (header line included, CRLF
 * line ends for spreadsheet tools).
 */
export function settledRowsCsv(rows: readonly SettledRow[]): string {
  const lines = settledRowsTable(rows).map((cells) => cells.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Writes settled rows (a run's failed, rejected or skipped rows) to `path`: a workbook when it
 * ends in .xlsx (every cell text, so nothing is evaluated and values read back as written), else
 * the CSV the run folder keeps (formula-safe with `'` marks). Returns how many rows were written.
 * A failed workbook write removes the half-written file and rejects.
 */
export async function writeSettledRows(rows: readonly SettledRow[], path: string): Promise<number> {
  if (!isXlsxPath(path)) {
    writeFileSync(path, settledRowsCsv(rows));
    return rows.length;
  }
  await writeTableFile(path, { sheetName: 'Rows' }, async (writer) => {
    for (const cells of settledRowsTable(rows)) {
      writer.writeRow(cells);
      await writer.flushIfFull();
    }
  });
  return rows.length;
}
