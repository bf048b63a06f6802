// The `runs:*` handlers: start (with the list read once and the capacity preflight), pause,
// resume, cancel, retry, rows, skip and unskip, fix and the exports, over the run registry and
// run folders (removing a run from History is run-removal-service.ts).
// Over 300 lines on purpose: each handler is short and they share one set of dependencies;
// splitting by channel would scatter one service over many files (docs/ARCHITECTURE.md).
import { join } from 'node:path';
import { ContractError, type RunSummary, type Services } from '../contract';
import { RunManager, type RunMeta } from '../engine/run/run-manager';
import { newRunMeta } from '../engine/run/run-meta';
import { RunFolderError } from '../engine/run/run-folder';
import { openRunSession } from '../engine/run/run-session';
import { checkListCapacity, ListCapacityError } from '../engine/run/capacity-preflight';
import { alignMappingToList } from '../engine/run/mapping-alignment';
import {
  exportRunReconciliation,
  listToKeep,
  ReconciliationError,
} from '../engine/run/reconciliation';
import { writeSettledRows } from '../engine/run/settled-rows-export';
import type { ContactListJson } from '../genesys/contact-list-reader';
import type { EventBus } from './event-bus';
import { refuseToOverwrite } from './file-guard';
import { planFixes } from './fix-rows';
import { SettledRowsPages } from './settled-rows-pages';
import { createRunRemovalServices } from './run-removal-service';
import type { SchemaLoader } from './schema-loader';
import { readMapping, type ContactListSchema } from '../csv';
import type { OrgRegistry } from './orgs-registry';
import type { FileAccess } from './file-access';
import { CheckedFiles } from './checked-files';
import { translate } from './csv-service';

type RunsChannel =
  | 'runs:start'
  | 'runs:pause'
  | 'runs:resume'
  | 'runs:cancel'
  | 'runs:retryFailed'
  | 'runs:list'
  | 'runs:get'
  | 'runs:rows'
  | 'runs:exportRows'
  | 'runs:exportReconciliation'
  | 'runs:skipRows'
  | 'runs:unskipRows'
  | 'runs:remove'
  | 'runs:restoreRemoved'
  | 'runs:fixRows';

/** What the runs service needs: where runs live, the orgs to sign in with, the event bus. */
export interface RunsServiceDeps {
  dataFolder: string;
  orgs: OrgRegistry;
  events: EventBus;
  /** Reads a list's columns (to check corrected rows like the first pass did). */
  loadSchema: SchemaLoader;
  /** Which paths a call may open (the capability check). */
  files: FileAccess;
  /** Reads a list's JSON from a signed-in org (a run's start reads its list once, here, with its size). */
  fetchListJson: (
    orgId: string,
    listId: string,
    options?: { includeSize?: boolean },
  ) => Promise<unknown>;
  /**
   * What the whole-file checks counted (share the run view's, which runs them): a new run on a
   * checked, unchanged file knows its rows from the start. Default: none remembered.
   */
  checkedFiles?: CheckedFiles;
}

/**
 * The Upload, Failures and History screens' services. Runs live in `<dataFolder>/runs`, the same
 * folder the CLI uses, so a run started in one can be resumed or retried from the other. Runs on
 * the same org share that org's limiter, and live runs are tracked, in one RunManager; every
 * run's events go to the event bus.
 */
export function createRunsServices(deps: RunsServiceDeps): Pick<Services, RunsChannel> {
  const manager = new RunManager(join(deps.dataFolder, 'runs'));
  const checkedFiles = deps.checkedFiles ?? new CheckedFiles();
  const settledPages = new SettledRowsPages();

  const readMeta = (runId: string): RunMeta => {
    try {
      return manager.readMeta(runId);
    } catch (error) {
      if (!(error instanceof RunFolderError)) throw error;
      throw new ContractError(
        error.code === 'missing' ? 'not-found' : 'invalid-request',
        error.message,
      );
    }
  };

  /** Runs a session in the background and forwards its events; the call returns at once. */
  const launch = (runId: string, session: () => Promise<RunSummary>) => {
    session().then(
      (summary) => deps.events.emit('runs:finished', summary),
      (error: unknown) => {
        manager.forget(runId);
        deps.events.emit('app:notice', {
          level: 'error',
          message: `Run ${runId} stopped: ${error instanceof Error ? error.message : String(error)}`,
        });
      },
    );
  };

  const openSession = async (
    meta: RunMeta,
    mode: 'upload' | 'retry-failed',
    list?: ContactListJson,
    retryRows?: readonly number[],
  ) => {
    if (!meta.profileId) {
      throw new ContractError(
        'invalid-request',
        `Run ${meta.runId} was started from the command line without a saved org: resume it there.`,
      );
    }
    const connection = await deps.orgs.connection(meta.profileId);
    const run = await openRunSession(
      manager,
      meta,
      { apiUrl: connection.apiUrl, tokenSource: connection.tokens },
      mode,
      { ...(list ? { list } : {}), ...(retryRows ? { retryRows } : {}) },
    );
    run.on((event) => {
      if (event.type === 'metrics') deps.events.emit('runs:metrics', event.metrics);
      else if (event.type === 'batch') deps.events.emit('runs:batch', event.batch);
    });
    launch(meta.runId, () => run.start());
  };

  const summaryOf = (runId: string): RunSummary => {
    const summary = manager.live(runId)?.summary() ?? manager.readSummary(runId);
    if (!summary) throw new ContractError('not-found', `No run ${runId} in ${manager.runsDir}.`);
    return summary;
  };

  return {
    ...createRunRemovalServices(manager),
    'runs:start': async (request) => {
      if (request.strategy === 'import' && (request.requeueUpdated || request.priority)) {
        throw new ContractError(
          'invalid-request',
          'Re-queueing and priority apply to the Contacts API strategy only: a bulk import has no queue flags.',
        );
      }
      const csvPath = deps.files.check(request.csvPath, 'read', 'the CSV file');
      const connection = await deps.orgs.connection(request.orgId);
      const list = (await deps.fetchListJson(request.orgId, request.listId, {
        includeSize: true,
      })) as ContactListJson;
      // The host's own check of this file as it is now, if it ran one: never the renderer's word.
      const fileRows = checkedFiles.countFor(
        { path: csvPath, sheet: request.sheet },
        {
          source: { kind: 'list', orgId: request.orgId, listId: request.listId },
          mapping: request.mapping,
        },
      );
      await checkListCapacity({
        list,
        contactListId: request.listId,
        csvPath,
        ...(request.sheet ? { sheet: request.sheet } : {}),
        limits: { apiUrl: connection.apiUrl, tokenSource: connection.tokens },
        ...(fileRows ? { countedRows: fileRows.rows } : {}),
      }).catch((error: unknown) => {
        if (error instanceof ListCapacityError) throw new ContractError('conflict', error.message);
        throw error;
      });
      const runId = manager.newRunId();
      const profile = await deps.orgs.get(request.orgId);
      const meta = newRunMeta({
        runId,
        orgName: connection.orgLabel,
        apiUrl: connection.apiUrl,
        clientId: profile.clientId ?? '',
        profileId: request.orgId,
        contactListId: request.listId,
        ...(typeof list.name === 'string' ? { contactListName: list.name } : {}),
        ...keptList(list),
        strategy: request.strategy,
        csvPath,
        ...(request.sheet ? { sheet: request.sheet } : {}),
        mapping: request.mapping,
        batchSize: request.batchSize,
        headroom: request.headroomPercent / 100,
        requeueUpdated: request.requeueUpdated === true,
        priority: request.priority === true,
        clearSystemData: request.clearSystemData === true,
        ...(request.maxRetryAfterSeconds !== undefined
          ? { maxRetryAfterSeconds: request.maxRetryAfterSeconds }
          : {}),
        ...(fileRows ? { fileRows } : {}),
      });
      manager.writeMeta(meta);
      await openSession(meta, 'upload', list);
      return { runId };
    },

    'runs:pause': async ({ runId }) => {
      const run = manager.live(runId);
      if (!run) throw new ContractError('conflict', `Run ${runId} is not running.`);
      if (!run.pause) {
        throw new ContractError(
          'conflict',
          'A bulk import cannot be paused: cancel it, or let it finish.',
        );
      }
      run.pause();
      return { state: run.state };
    },

    'runs:resume': async ({ runId }) => {
      const run = manager.live(runId);
      if (run) {
        if (run.state !== 'paused')
          throw new ContractError('conflict', `Run ${runId} is ${run.state}, not paused.`);
        const resume = run.resume;
        if (!resume)
          throw new ContractError('conflict', 'A bulk import cannot be resumed in place.');
        launch(runId, () => resume.call(run));
      } else {
        await openSession(readMeta(runId), 'upload');
      }
      return { runId };
    },

    'runs:cancel': async ({ runId }) => {
      const run = manager.live(runId);
      if (!run)
        throw new ContractError(
          'conflict',
          `Run ${runId} is not running or paused in this window.`,
        );
      run.cancel();
      return { state: run.state };
    },

    'runs:retryFailed': async ({ runId, rows }) => {
      if (manager.live(runId))
        throw new ContractError(
          'conflict',
          `Run ${runId} is still going: wait for it to finish or pause it.`,
        );
      await openSession(readMeta(runId), 'retry-failed', undefined, rows);
      return { runId };
    },

    'runs:list': async () =>
      manager.list().map((summary) => {
        const current = manager.live(summary.runId)?.summary() ?? summary;
        const listName = manager.folder(summary.runId).metaOrUndefined()?.contactListName;
        return listName ? { ...current, contactListName: listName } : current;
      }),

    'runs:get': async ({ runId }) => {
      const summary = summaryOf(runId);
      const csvPath = readMeta(runId).csvPath;
      return {
        summary,
        active: manager.live(runId) !== undefined,
        ...(csvPath ? { csvPath } : {}),
      };
    },

    'runs:rows': async ({ runId, outcome, offset, limit, filter }) => {
      summaryOf(runId);
      return settledPages.page(manager.folder(runId), outcome, offset, limit, filter);
    },

    'runs:skipRows': async ({ runId, rows, reason }) => {
      if (manager.live(runId)) {
        throw new ContractError(
          'conflict',
          `Run ${runId} is still going: pause or cancel it before skipping rows.`,
        );
      }
      const summary = summaryOf(runId);
      return manager.folder(runId).skipRows(rows, reason, summary);
    },

    'runs:unskipRows': async ({ runId, rows }) => {
      if (manager.live(runId)) {
        throw new ContractError(
          'conflict',
          `Run ${runId} is still going: wait for it to finish or pause it.`,
        );
      }
      return manager.folder(runId).unskipRows(rows, summaryOf(runId));
    },

    'runs:fixRows': async ({ runId, rows }) => {
      if (manager.live(runId)) {
        throw new ContractError(
          'conflict',
          `Run ${runId} is still going: wait for it to finish or pause it.`,
        );
      }
      const meta = readMeta(runId);
      if (!meta.profileId || meta.mapping === undefined) {
        throw new ContractError(
          'invalid-request',
          `Run ${runId} was started from the command line: fix its rows in a CSV and upload that instead.`,
        );
      }
      const folder = manager.folder(runId);
      const journal = folder.journal();
      const recordedIds = new Map<number, string>();
      for (const outcome of ['failed', 'rejected'] as const) {
        for (const row of journal.rowsWith(outcome))
          if (row.contactId) recordedIds.set(row.row, row.contactId);
      }
      const editable = rows
        .filter((edit) => ['failed', 'rejected'].includes(journal.outcomeOf(edit.row) ?? ''))
        .map((edit) => {
          const contactId = recordedIds.get(edit.row);
          return contactId ? { ...edit, contactId } : edit;
        });
      const notEditable = rows
        .filter((edit) => !editable.some((kept) => kept.row === edit.row))
        .map((edit) => ({
          row: edit.row,
          messages: [`Row ${edit.row} is not a failed or rejected row of this run.`],
        }));
      const schema = await deps.loadSchema({
        kind: 'list',
        orgId: meta.profileId,
        listId: meta.contactListId,
      });
      // corrected rows are checked with the mapping the run itself used (list spelling)
      const plan = planFixes(
        editable,
        alignMappingToList(readMapping(meta.mapping, `the mapping of run ${runId}`), schema),
        schema,
      );
      if (plan.ready.length > 0) {
        folder.queueCorrected(plan.ready, summaryOf(runId));
        await openSession(meta, 'retry-failed');
      }
      return { queued: plan.ready.length, problems: [...notEditable, ...plan.problems] };
    },

    'runs:exportRows': async ({ runId, outcome, path: requested, overwrite, filter }) => {
      const path = deps.files.check(requested, 'write', 'the export');
      summaryOf(runId);
      refuseToOverwrite([path], overwrite);
      let rows: number;
      try {
        const folder = manager.folder(runId);
        rows = await writeSettledRows(
          filter ? settledPages.matching(folder, outcome, filter) : folder.settledRows(outcome),
          path,
        );
      } catch (error) {
        throw new ContractError(
          'invalid-request',
          `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
      return { path, rows };
    },

    'runs:exportReconciliation': async ({ runId, path: requested, overwrite }) => {
      const path = deps.files.check(requested, 'write', 'the reconciliation');
      summaryOf(runId);
      refuseToOverwrite([path], overwrite);
      try {
        const written = await translate(() =>
          exportRunReconciliation(manager.folder(runId), path, {
            loadSchema: (meta) => {
              if (!meta.profileId) {
                throw new ReconciliationError(
                  'no-schema',
                  `Run ${runId} was started from the command line without a saved org: reconcile it there.`,
                );
              }
              return deps.loadSchema({
                kind: 'list',
                orgId: meta.profileId,
                listId: meta.contactListId,
              });
            },
          }),
        );
        return { path, rows: written.rows, idFrom: written.idFrom };
      } catch (error) {
        if (error instanceof ReconciliationError) {
          throw new ContractError('invalid-request', error.message);
        }
        throw error;
      }
    },
  };
}

/** The `list` field of a new run's `run.json`: the list's columns, when its JSON is usable. */
function keptList(listJson: unknown): { list?: ContactListSchema } {
  const list = listToKeep(listJson);
  return list ? { list } : {};
}
