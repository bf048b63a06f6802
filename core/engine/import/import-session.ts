import type { RunManager } from '../run/run-manager';
import type { SessionInputs } from '../run/session-types';
import { ImportRun, type ImportRunOptions } from './import-run';

/**
 * The bulk-import side of `openRunSession`: puts the contact id in the mapping's id column
 * when the ids are a list column's values (else in an extra `SluiceContactId` column), and
 * shares the org's limiter so a 429 during an import slows the org's other runs. `tuning`
 * passes poll interval, give-up time and test seams.
 */
export function openImportSession(
  manager: RunManager,
  inputs: SessionInputs,
  tuning: Partial<Omit<ImportRunOptions, 'runId' | 'runDir' | 'source'>> = {},
): ImportRun {
  const { meta, mapping, target } = inputs;
  const idColumn = mapping.contactId.kind === 'column' ? mapping.contactId.column : undefined;
  return manager.track(
    new ImportRun({
      runId: meta.runId,
      runDir: manager.runDir(meta.runId),
      orgName: meta.orgName,
      contactListId: meta.contactListId,
      apiUrl: target.apiUrl,
      tokenSource: target.tokenSource,
      listColumns: inputs.schema.columnNames,
      gate: inputs.limiter,
      source: inputs.source,
      mode: inputs.mode,
      ...(inputs.retryRows ? { retryRows: inputs.retryRows } : {}),
      ...(inputs.fileRows ? { totalRows: inputs.fileRows.rows } : {}),
      ...(idColumn ? { contactIdColumn: idColumn } : {}),
      ...(meta.clearSystemData === true ? { clearSystemData: true } : {}),
      ...tuning,
    }),
    meta.runId,
  );
}
