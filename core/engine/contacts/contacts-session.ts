import type { RunManager } from '../run/run-manager';
import type { SessionInputs } from '../run/session-types';
import { UploadRun } from './contacts-run';
import { createFetchTransport } from './transport';

/**
 * The contacts side of `openRunSession`: an `UploadRun` on the org's shared limiter, posting
 * batches of the run's size with the thin fetch transport and the run's queue flags
 * (doNotQueue=true unless the run re-queues updated contacts on purpose).
 */
export function openContactsSession(manager: RunManager, inputs: SessionInputs): UploadRun {
  const { meta, target } = inputs;
  return manager.track(
    new UploadRun({
      runId: meta.runId,
      runDir: manager.runDir(meta.runId),
      orgName: meta.orgName,
      contactListId: meta.contactListId,
      source: inputs.source,
      estimatedRows: inputs.source.estimatedRows,
      ...(inputs.fileRows ? { totalRows: inputs.fileRows.rows } : {}),
      ...(inputs.fileRows?.rejected !== undefined
        ? { expectedRejects: inputs.fileRows.rejected }
        : {}),
      limiter: inputs.limiter,
      workers: manager.maxConcurrencyOf(meta.orgKey),
      tokenSource: target.tokenSource,
      transport: createFetchTransport({
        apiUrl: target.apiUrl,
        writeOptions: {
          requeueUpdated: meta.requeueUpdated ?? false,
          priority: meta.priority ?? false,
          clearSystemData: meta.clearSystemData ?? false,
        },
      }),
      ...(meta.maxRetryAfterSeconds !== undefined
        ? { maxRetryAfterMs: meta.maxRetryAfterSeconds * 1000 }
        : {}),
      batchLimits: { maxContacts: meta.batchSize },
      mode: inputs.mode,
      ...(inputs.retryRows ? { retryRows: inputs.retryRows } : {}),
    }),
    meta.runId,
  );
}
