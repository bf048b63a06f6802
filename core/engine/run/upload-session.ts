import { readContactListSchema, readMapping } from '../../csv';
import type { TokenSource } from '../../genesys/token-source';
import { csvSourceRows, fetchContactListJson } from './csv-rows';
import { fetchPublishedRatePerMinute } from '../limits-seed';
import type { RunManager, RunMeta } from './run-manager';
import { openImportSession } from '../import/import-session';
import type { RunEvent } from './run-options';
import type { RunState, RunSummary } from '../../contract/runs';
import { createFetchTransport } from '../contacts/transport';

/**
 * What the app and the CLI drive, whichever strategy the run uses: the contacts strategy
 * (`UploadRun`, with pause and resume) or bulk import (`ImportRun`, no pause).
 */
export interface RunSession {
  readonly state: RunState;
  on(listener: (event: RunEvent) => void): () => void;
  start(): Promise<RunSummary>;
  cancel(reason?: string): void;
  summary(): RunSummary;
  pause?: () => void;
  resume?: () => Promise<RunSummary>;
}

/** Where and how a session of a run talks to its org. */
export interface UploadSessionTarget {
  apiUrl: string;
  tokenSource: TokenSource;
}

/**
 * Builds one session of a run from its `run.json` (a new run, a resume after a pause or a
 * crash, or a retry of its failed rows): reads the list's columns from the org, re-reads the
 * CSV with the run's own mapping (so ids are the same every time), puts the run on the org's
 * shared limiter, and seeds that limiter from the org's published limit when it can.
 * The desktop app and the CLI both start runs through here. Call `start()` on the result.
 */
export async function openUploadSession(
  manager: RunManager,
  meta: RunMeta,
  target: UploadSessionTarget,
  mode: 'upload' | 'retry-failed',
): Promise<RunSession> {
  if (meta.strategy === 'import') return openImportSession(manager, meta, target, { mode });
  if (!meta.csvPath || meta.mapping === undefined) {
    throw new Error(`Run ${meta.runId} has no CSV file or mapping to read.`);
  }
  const accessToken = await target.tokenSource.getAccessToken();
  const schema = readContactListSchema(
    await fetchContactListJson({
      apiUrl: target.apiUrl,
      accessToken,
      contactListId: meta.contactListId,
    }),
    `contact list ${meta.contactListId}`,
  );
  const mapping = readMapping(meta.mapping, `the mapping of run ${meta.runId}`);
  const source = csvSourceRows({
    csvPath: meta.csvPath,
    mapping,
    schema,
    ...(meta.defaultCountry ? { defaultCountry: meta.defaultCountry } : {}),
  });
  const run = manager.create({
    runId: meta.runId,
    orgKey: meta.orgKey,
    limiterOptions: { headroom: meta.headroom },
    orgName: meta.orgName,
    contactListId: meta.contactListId,
    source,
    tokenSource: target.tokenSource,
    transport: createFetchTransport({ apiUrl: target.apiUrl }),
    batchLimits: { maxContacts: meta.batchSize },
    mode,
  });
  const perMinute = await fetchPublishedRatePerMinute({ apiUrl: target.apiUrl, accessToken });
  if (perMinute) manager.limiterFor(meta.orgKey).seedFromLimit(perMinute);
  return run;
}
