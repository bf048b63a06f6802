import { readContactListSchema, readMapping } from '../../csv';
import { readContactListJson, type ContactListJson } from '../../genesys/contact-list-reader';
import { readPublishedRatePerMinute } from '../../genesys/org-limits';
import { openContactsSession } from '../contacts/contacts-session';
import { openImportSession } from '../import/import-session';
import type { ImportRunOptions } from '../import/import-options';
import { csvSourceRows } from './csv-rows';
import { rowsIfUnchanged } from './file-rows';
import { alignMappingToList } from './mapping-alignment';
import type { RunManager, RunMeta } from './run-manager';
import type { RunSession, SessionInputs, SessionTarget } from './session-types';
export type { RunSession, SessionInputs, SessionTarget } from './session-types';

/** Optional inputs of `openRunSession`. */
export interface OpenSessionOptions {
  /** The list's JSON when the caller has just read it (so a run reads its list once). */
  list?: ContactListJson;
  /** Import tuning and test seams (poll interval, give-up time). */
  importTuning?: Partial<Omit<ImportRunOptions, 'runId' | 'runDir' | 'source'>>;
  /** In `retry-failed`, only these of the failed rows (by row number); default every one. */
  retryRows?: readonly number[];
}

/**
 * Builds one session of a run from its `run.json` (a new run, a resume after a pause or a
 * crash, or a retry of its failed rows), and is where the strategy is chosen. Reads the list
 * once (unless the caller just did), re-reads the CSV with the run's own mapping (same ids every
 * time; its column names spelled as the list spells them), puts the run on the org's shared limiter and seeds that limiter from the org's
 * published limit when it can. The desktop app and the CLI both start runs through here.
 * Throws a `GenesysCallError` with advice when the list cannot be read, and `RunLockedError`
 * when another process is running the same run folder. Call `start()`.
 */
export async function openRunSession(
  manager: RunManager,
  meta: RunMeta,
  target: SessionTarget,
  mode: 'upload' | 'retry-failed',
  options: OpenSessionOptions = {},
): Promise<RunSession> {
  if (!meta.csvPath || meta.mapping === undefined) {
    throw new Error(`Run ${meta.runId} has no CSV file or mapping to read.`);
  }
  // One process at a time appends to a run's journal; a session that does not open lets go.
  manager.claim(meta.runId);
  try {
    return await openClaimedSession(manager, meta, target, mode, options);
  } catch (error) {
    manager.release(meta.runId);
    throw error;
  }
}

async function openClaimedSession(
  manager: RunManager,
  meta: RunMeta,
  target: SessionTarget,
  mode: 'upload' | 'retry-failed',
  options: OpenSessionOptions,
): Promise<RunSession> {
  if (!meta.csvPath || meta.mapping === undefined) {
    throw new Error(`Run ${meta.runId} has no CSV file or mapping to read.`);
  }
  const limiter = manager.limiterFor(meta.orgKey, { headroom: meta.headroom });
  const listJson =
    options.list ??
    (await readContactListJson({
      apiUrl: target.apiUrl,
      tokenSource: target.tokenSource,
      contactListId: meta.contactListId,
      gate: limiter,
    }));
  const schema = readContactListSchema(listJson, `contact list ${meta.contactListId}`);
  const mapping = alignMappingToList(
    readMapping(meta.mapping, `the mapping of run ${meta.runId}`),
    schema,
  );
  const source = csvSourceRows({
    csvPath: meta.csvPath,
    ...(meta.sheet ? { sheet: meta.sheet } : {}),
    mapping,
    schema,
    ...(meta.defaultCountry ? { defaultCountry: meta.defaultCountry } : {}),
  });
  const perMinute = await readPublishedRatePerMinute({
    apiUrl: target.apiUrl,
    tokenSource: target.tokenSource,
    gate: limiter,
  });
  if (perMinute) limiter.seedFromLimit(perMinute);
  // The check's count holds only for the file as it was checked; a retry reads the journal.
  const fileRows = mode === 'upload' ? rowsIfUnchanged(meta.csvPath, meta.fileRows) : undefined;
  const inputs: SessionInputs = {
    meta,
    target,
    mode,
    mapping,
    schema,
    source,
    limiter,
    ...(mode === 'retry-failed' && options.retryRows ? { retryRows: options.retryRows } : {}),
    ...(fileRows ? { fileRows } : {}),
  };
  return meta.strategy === 'import'
    ? openImportSession(manager, inputs, options.importTuning)
    : openContactsSession(manager, inputs);
}
