import type { CheckErrorRow, Services } from '../contract';
import { ContractError } from '../contract';
import {
  CsvFileError,
  checkRuleNotes,
  phoneColumnNames,
  REJECT_COLUMNS,
  restoreNeutralised,
} from '../csv';
import { detectTextFormat, readTextRecords } from '../csv/text-records';
import { prepareCsvInWorker, type WorkerEntry } from '../csv/prepare-in-worker';
import { join } from 'node:path';
import { CancellableJobs } from './cancellable-jobs';
import { makeCheckFolder, removeCheckFolder } from './check-temporary-folder';
import type { EventBus } from './event-bus';
import type { FileAccess } from './file-access';
import type { SchemaLoader } from './schema-loader';
import type { CheckedFiles } from './checked-files';
import { fileStamp } from '../engine/run/file-rows';

/** What the whole-file check needs. */
export interface FileCheckDeps {
  events: EventBus;
  loadSchema: SchemaLoader;
  prepareWorker?: WorkerEntry;
  /** Which paths a call may open (the capability check). */
  files: FileAccess;
  /** Where a finished check's count is remembered for the upload that follows it. */
  checkedFiles: CheckedFiles;
}

type CheckRequest = Parameters<Services['csv:check']>[0];

/**
 * The whole-file check before an upload (`csv:check`) and its Cancel (`csv:cancelCheck`). The
 * check runs the Prepare screen's worker into a temporary folder, reads the rejects and the
 * warnings back, and removes the folder whatever happened. A cancel stops the worker (or the
 * passes after it) and the call fails with code `cancelled`. See docs/ARCHITECTURE.md.
 */
export function createFileCheckServices(
  deps: FileCheckDeps,
): Pick<Services, 'csv:check' | 'csv:cancelCheck'> {
  const checks = new CancellableJobs('check');
  return {
    'csv:check': (request) =>
      checks.run(request.jobId, (signal) => checkFile(deps, request, signal)),
    'csv:cancelCheck': async ({ jobId }) => checks.cancel(jobId),
  };
}

async function checkFile(deps: FileCheckDeps, request: CheckRequest, signal: AbortSignal) {
  const { jobId, sheet, source, mapping, maxErrorRows } = request;
  const path = deps.files.check(request.path, 'read', 'the file to check');
  // The file as the check starts reading it: a count is remembered only if it is still so after.
  const before = fileStamp(path);
  const cancelled = () =>
    new ContractError('cancelled', `The check of ${path} was cancelled before it finished.`);
  const schema = await deps.loadSchema(source);
  // Reading a list's schema from an org cannot be interrupted; the check stops right after it.
  if (signal.aborted) throw cancelled();
  const folder = await makeCheckFolder();
  try {
    const rejectsPath = join(folder, 'rejects.csv');
    const cleanPath = join(folder, 'clean.csv');
    // The same worker the Prepare screen uses: streaming, off the main thread.
    const summary = await prepareCsvInWorker(
      {
        csvPath: path,
        ...(sheet ? { sheet } : {}),
        schema,
        mapping,
        outPath: cleanPath,
        rejectsPath,
        signal,
        onProgress: (progress) => deps.events.emit('csv:progress', { jobId, ...progress }),
        // the worker counts the clean rows that deserve a look as it writes them
        maxWarningRows: maxErrorRows,
      },
      deps.prepareWorker,
      'check',
    ).catch((error: unknown) => {
      if (signal.aborted) throw cancelled();
      throw new ContractError(
        'invalid-request',
        error instanceof Error ? error.message : String(error),
      );
    });
    try {
      const { headers, errorRows } = await readRejects(rejectsPath, maxErrorRows, signal);
      deps.checkedFiles.remember({ path, sheet }, before, { source, mapping }, summary);
      return {
        rowsRead: summary.rowsRead,
        clean: summary.clean,
        rejected: summary.rejected,
        byRule: summary.byRule as Record<string, number>,
        ruleNotes: checkRuleNotes(summary.byRule, mapping.contactId, phoneColumnNames(schema)),
        headers,
        errorRows,
        warned: summary.warned,
        byWarning: summary.byWarning as Record<string, number>,
        warningRows: summary.warningRows,
      };
    } catch (error) {
      if (error instanceof CsvFileError && error.reason === 'cancelled') throw cancelled();
      throw error;
    }
  } finally {
    // Never throws: a folder that cannot be removed must not replace the check's outcome.
    await removeCheckFolder(folder, deps.events);
  }
}

/**
 * Reads the first rejected rows back from a rejects file (reason columns, then the row). Read as
 * plain records: `openCsv` recognises a rejects file and drops exactly the reason columns wanted
 * here.
 */
async function readRejects(rejectsPath: string, maxRows: number, signal: AbortSignal) {
  const format = await detectTextFormat(rejectsPath, {});
  let headers: string[] | undefined;
  const errorRows: CheckErrorRow[] = [];
  reading: for await (const batch of readTextRecords(rejectsPath, { ...format, signal })) {
    for (const record of batch) {
      if (!headers) {
        headers = record.values.slice(REJECT_COLUMNS.length).map(restoreNeutralised);
        continue;
      }
      // the worker counted them all: only the first are read back
      if (errorRows.length >= maxRows) break reading;
      const [rowNumber = '0', rules = '', reasons = '', ...values] = record.values;
      errorRows.push({
        rowNumber: Number(rowNumber),
        rules: rules.split(' ').filter(Boolean),
        reasons,
        // The rejects file is formula-safe for Excel; show the cells as they were in the file.
        values: values.map(restoreNeutralised),
      });
    }
  }
  return { headers: headers ?? [], errorRows };
}
