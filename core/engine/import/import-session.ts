import { readContactListSchema, readMapping } from '../../csv';
import { csvSourceRows, fetchContactListJson } from '../run/csv-rows';
import { ImportRun, type ImportRunOptions } from './import-run';
import type { RunManager, RunMeta } from '../run/run-manager';
import type { UploadSessionTarget } from '../run/upload-session';

/**
 * Builds an import run from its `run.json` (a new run, or the restart of one that was killed:
 * the journal in its folder decides), the bulk-import twin of `openUploadSession`: reads the
 * list's columns, re-reads the CSV with the run's own mapping (same ids every time), and puts
 * the contact id in the mapping's id column when the ids are a list column's values (else in
 * an extra `SluiceContactId` column). `extra` passes tuning (poll interval, give-up time) and
 * test seams. Throws a consultant-readable error when the list cannot be read. Call `start()`.
 */
export async function openImportSession(
  manager: RunManager,
  meta: RunMeta,
  target: UploadSessionTarget,
  extra: Partial<Omit<ImportRunOptions, 'runId' | 'runDir' | 'source'>> = {},
): Promise<ImportRun> {
  if (!meta.csvPath || meta.mapping === undefined) {
    throw new Error(`Run ${meta.runId} has no CSV file or mapping to read.`);
  }
  const schema = readContactListSchema(
    await fetchContactListJson({
      apiUrl: target.apiUrl,
      accessToken: await target.tokenSource.getAccessToken(),
      contactListId: meta.contactListId,
    }),
    `contact list ${meta.contactListId}`,
  );
  const mapping = readMapping(meta.mapping, `the mapping of run ${meta.runId}`);
  const idColumn = mapping.contactId.kind === 'column' ? mapping.contactId.column : undefined;
  return new ImportRun({
    runId: meta.runId,
    runDir: manager.runDir(meta.runId),
    orgName: meta.orgName,
    contactListId: meta.contactListId,
    apiUrl: target.apiUrl,
    tokenSource: target.tokenSource,
    source: csvSourceRows({
      csvPath: meta.csvPath,
      mapping,
      schema,
      ...(meta.defaultCountry ? { defaultCountry: meta.defaultCountry } : {}),
    }),
    ...(idColumn ? { contactIdColumn: idColumn } : {}),
    ...extra,
  });
}
