import {
  createRowMapper,
  openCsv,
  readContactListSchema,
  readMapping,
  writeReconciliation,
  type ContactListSchema,
  type Mapping,
  idListColumns,
  type RowResult,
  type ReconciliationRecord,
  type ReconciliationSummary,
} from '../../csv';
import { DEFAULT_IMPORT_ID_COLUMN } from '../import/import-file';
import type { SettledRow } from '../journal/journal-records';
import type { SettledJournal } from '../journal/settled-journal';
import type { RunFolder } from './run-folder';
import type { RunMeta } from './run-meta';

/** Why a run cannot be reconciled: the consultant reads the message; the UI branches on the code. */
export type ReconciliationErrorCode = 'no-source' | 'no-schema';

/** A run whose reconciliation cannot be built (no CSV or mapping, or the list's columns unknown). */
export class ReconciliationError extends Error {
  constructor(
    readonly code: ReconciliationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReconciliationError';
  }
}

/** What `exportRunReconciliation` wrote. */
export interface RunReconciliation extends ReconciliationSummary {
  path: string;
  /** How the Genesys contact ids were chosen, as written on every row. */
  idFrom: string;
}

/** Options of `exportRunReconciliation`. */
export interface RunReconciliationOptions {
  /**
   * Reads the list's columns for a run whose `run.json` does not keep them (runs started before
   * it did). Without it such a run is refused with `no-schema`.
   */
  loadSchema?: (meta: RunMeta) => Promise<ContactListSchema>;
}

/**
 * Writes a run's reconciliation to `path` (CSV, or a workbook when it ends in .xlsx): one row
 * per row of the run's source file, in file order, with its row number, CRM id, Genesys contact
 * id, outcome and reason. Outcomes and reasons come from the journal; ids from reading the
 * source again with the run's own mapping, which gives every row the same deterministic id it
 * was sent with (docs/ARCHITECTURE.md, From a CSV row to a stored contact). Genesys keeps the id
 * it is sent, by POST or in the import file's contact-id column (docs/GENESYS.md, Bulk file
 * import), so an uploaded row's id is its Genesys contact id; other rows have none. A row the
 * journal has no outcome for (the run has not read it yet) is `pending`. Throws
 * `ReconciliationError` when the run cannot be reconciled and `CsvFileError` when its source
 * file cannot be read.
 */
export async function exportRunReconciliation(
  folder: RunFolder,
  path: string,
  options: RunReconciliationOptions = {},
): Promise<RunReconciliation> {
  const meta = folder.readMeta();
  if (!meta.csvPath || meta.mapping === undefined) {
    throw new ReconciliationError(
      'no-source',
      `Run ${meta.runId} has no source file or mapping to reconcile.`,
    );
  }
  const mapping = readMapping(meta.mapping, `the mapping of run ${meta.runId}`);
  const schema = await runSchema(meta, options);
  const idFrom = describeIdChoice(meta.strategy, mapping);
  const records = reconciliationRecords(
    { csvPath: meta.csvPath, sheet: meta.sheet, defaultCountry: meta.defaultCountry },
    mapping,
    schema,
    folder.journal(),
  );
  const summary = await writeReconciliation(records, path, { idFrom });
  return { ...summary, path, idFrom };
}

/**
 * How the contact ids of a run were chosen, in words a consultant can act on. The import
 * strategy returns no ids, so the words say that Sluice chose them and where they were sent.
 */
export function describeIdChoice(strategy: RunMeta['strategy'], mapping: Mapping): string {
  const rule = mapping.contactId;
  const chosen =
    rule.kind === 'column'
      ? `the ${rule.column} column's value`
      : rule.kind === 'csv-column'
        ? `the value of the CSV column “${rule.header}” (not a list column)`
        : `a hash Sluice made of ${rule.columns.join(', ')}`;
  if (strategy === 'import') {
    const idColumn = rule.kind === 'column' ? rule.column : DEFAULT_IMPORT_ID_COLUMN;
    return `chosen by Sluice (a Genesys import returns no ids): ${chosen}, sent as the import file's contact id column ${idColumn}`;
  }
  return `${chosen}, sent as the contact id (Genesys keeps the id it is sent)`;
}

/**
 * What `run.json` keeps of a contact list (`RunMeta.list`): its columns, phone columns and rules
 * only (no size or import status), or undefined when the JSON is not a usable list.
 */
export function listToKeep(listJson: unknown): ContactListSchema | undefined {
  try {
    return readContactListSchema(listJson);
  } catch {
    return undefined;
  }
}

/** The list's columns the run mapped against: kept in `run.json`, else the caller's loader. */
async function runSchema(
  meta: RunMeta,
  options: RunReconciliationOptions,
): Promise<ContactListSchema> {
  if (meta.list !== undefined) {
    return readContactListSchema(meta.list, `the contact list of run ${meta.runId}`);
  }
  if (options.loadSchema) return options.loadSchema(meta);
  throw new ReconciliationError(
    'no-schema',
    `Run ${meta.runId} does not keep its list's columns: reconcile it from the app, signed in to ${meta.orgName}.`,
  );
}

/** The reconciliation rows of one run, in source order (streamed: memory stays flat). */
async function* reconciliationRecords(
  source: { csvPath: string; sheet?: string; defaultCountry?: string },
  mapping: Mapping,
  schema: ContactListSchema,
  journal: SettledJournal,
): AsyncGenerator<ReconciliationRecord> {
  const details = new Map<number, SettledRow>();
  for (const outcome of ['rejected', 'failed', 'skipped'] as const) {
    for (const row of journal.rowsWith(outcome)) details.set(row.row, row);
  }
  const file = await openCsv(source.csvPath, source.sheet ? { sheet: source.sheet } : {});
  // The mapper that the run's own reading used (csv-rows.ts): same rules, same ids.
  const mapRow = createRowMapper(mapping, schema, {
    headers: file.headers,
    ...(source.defaultCountry ? { defaultCountry: source.defaultCountry } : {}),
  });
  for await (const row of file) {
    const result = mapRow(row);
    const outcome = journal.outcomeOf(result.rowNumber);
    const contact = result.contact;
    const detail = details.get(result.rowNumber);
    const crmId = crmIdOf(result, mapping);
    if (outcome === 'uploaded') {
      yield { sourceRow: result.rowNumber, crmId, contactId: contact?.id ?? '', outcome };
    } else if (outcome === undefined) {
      yield {
        sourceRow: result.rowNumber,
        crmId,
        contactId: '',
        outcome: 'pending',
        reason: 'Not settled yet: the run has not finished reading or sending this row.',
      };
    } else {
      yield {
        sourceRow: result.rowNumber,
        crmId: crmId || crmIdFromData(detail?.data, mapping),
        contactId: '',
        outcome,
        reason: detail?.reason ?? '',
      };
    }
  }
}

/**
 * The customer's own id: the id column's value, or the key columns' values joined; for ids read
 * from a CSV column, that column's value (the contact id itself).
 */
function crmIdOf(result: RowResult, mapping: Mapping): string {
  if (!result.contact) return '';
  if (mapping.contactId.kind === 'csv-column') return result.contact.id;
  return crmIdFromData(result.contact.data, mapping);
}

function crmIdFromData(data: Record<string, string> | undefined, mapping: Mapping): string {
  if (!data) return '';
  const values = idListColumns(mapping.contactId).map((column) => data[column] ?? '');
  return values.some(Boolean) ? values.join(' | ') : '';
}
