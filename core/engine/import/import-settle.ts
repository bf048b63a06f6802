import { existsSync } from 'node:fs';
import type { FailureDetail } from '../../contract/runs';
import { readImportFile } from './import-file';
import type { RunLedger } from '../journal/run-ledger';
import type { EngineContact, PendingRow } from '../types';

/**
 * How a bulk import ended, for the rows in its file: `completed` (all uploaded; `note` says how
 * that was known when Genesys gave no status), `failed` (Genesys reported FAILED), `stopped`
 * (a configuration error or a spent retry budget), `cancelled`.
 */
export type ImportOutcome =
  | { kind: 'completed'; note?: string }
  | { kind: 'failed' | 'stopped' | 'cancelled'; detail: FailureDetail };

const CHUNK_ROWS = 5000;
const NO_CONTACT: EngineContact = { id: '', data: {} };

/**
 * Settles every row of the import file with the outcome's verdict, in chunks (one journal
 * commit each). Failed rows get their contact id and data back from the file itself, so the
 * failed-rows report and a retry of failed rows work as for the contacts strategy; the rows are
 * never all held in memory at once before this point.
 */
export async function settleFileRows(
  ledger: RunLedger,
  outcome: ImportOutcome,
  fileRows: readonly number[],
  file: { path: string; idColumn: string; listColumns: ReadonlySet<string> },
): Promise<void> {
  if (fileRows.length === 0) return;
  if (outcome.kind === 'completed') {
    for (let start = 0; start < fileRows.length; start += CHUNK_ROWS) {
      const chunk: PendingRow[] = fileRows
        .slice(start, start + CHUNK_ROWS)
        .map((rowNumber) => ({ rowNumber, contact: NO_CONTACT, json: '' }));
      ledger.uploaded('import', chunk);
    }
    return;
  }
  const { detail } = outcome;
  let index = 0;
  let chunk: Array<{ rowNumber: number; contactId?: string; data?: Record<string, string> }> = [];
  const flush = (): void => {
    ledger.settle('failed', 'import', chunk, detail);
    chunk = [];
  };
  if (existsSync(file.path)) {
    const contacts = readImportFile(file.path, file.idColumn, file.listColumns);
    for await (const contact of contacts) {
      const rowNumber = fileRows[index];
      if (rowNumber === undefined) break;
      index += 1;
      chunk.push({ rowNumber, contactId: contact.id, data: contact.data });
      if (chunk.length >= CHUNK_ROWS) flush();
    }
  }
  // Rows the file could not give back (it was removed or cut short) still settle, without data.
  for (; index < fileRows.length; index += 1) {
    chunk.push({ rowNumber: fileRows[index] as number });
    if (chunk.length >= CHUNK_ROWS) flush();
  }
  if (chunk.length > 0) flush();
}
