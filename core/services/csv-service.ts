import { ContractError, type PreviewRow, type Services } from '../contract';
import { CancellableJobs } from './cancellable-jobs';
import {
  autoMapping,
  autoMatch,
  CsvFileError,
  openCsv,
  previewCsv,
  schemaFingerprint,
} from '../csv';
import { prepareCsvInWorker, type WorkerEntry } from '../csv/prepare-in-worker';
import type { EventBus } from './event-bus';
import type { SchemaLoader } from './schema-loader';
import { refuseToOverwrite } from './file-guard';
import { refuseSameFile, type FileAccess } from './file-access';

/** What the CSV service needs from the rest of the app. */
export interface CsvServiceDeps {
  events: EventBus;
  /** Reads a list's columns from a schema file or a signed-in org. */
  loadSchema: SchemaLoader;
  /** The preparation worker's script; the bundled Electron app passes its own build of it. */
  prepareWorker?: WorkerEntry;
  /** Which paths a call may open (the capability check). */
  files: FileAccess;
}

type CsvServices = Pick<
  Services,
  'csv:inspect' | 'csv:schema' | 'csv:autoMatch' | 'csv:preview' | 'csv:prepare' | 'csv:cancel'
>;

const SAMPLE_ROWS = 10;
/** The first rows with a warning a preparation's summary lists (the rest are counted). */
const PREPARE_WARNING_ROWS = 20;

/**
 * The CSV screens' services. File-level problems (missing file, binary file, bad schema or
 * mapping) become `invalid-request` errors carrying the pipeline's own message, which already
 * names the file and says what to do.
 */
export function createCsvServices(deps: CsvServiceDeps): CsvServices {
  const preparations = new CancellableJobs('preparation');

  const { loadSchema, files } = deps;

  return {
    'csv:inspect': ({ path: requested, sheet }) =>
      translate(async () => {
        const path = files.check(requested, 'read', 'the CSV file');
        const source = await openCsv(path, sheet ? { sheet } : {});
        const sampleRows: string[][] = [];
        for await (const row of source) {
          sampleRows.push([...row.values]);
          if (sampleRows.length >= SAMPLE_ROWS) break;
        }
        return {
          path,
          sizeBytes: source.totalBytes,
          encoding: source.encoding,
          delimiter: source.delimiter,
          headers: [...source.headers],
          headerProblems: source.headerProblems.map(({ columnIndex, message }) => ({
            columnIndex,
            message,
          })),
          sampleRows,
          ...(source.sheet === undefined ? {} : { sheet: source.sheet }),
          ...(source.sheets === undefined ? {} : { sheets: [...source.sheets] }),
        };
      }),

    'csv:schema': ({ source }) =>
      translate(async () => {
        const schema = await loadSchema(source);
        return {
          name: schema.name ?? (source.kind === 'file' ? source.path : source.listId),
          columnNames: [...schema.columnNames],
          phoneColumns: schema.phoneColumns.map(({ columnName, type }) => ({
            columnName,
            type: type ?? '',
          })),
          fingerprint: schemaFingerprint(schema),
        };
      }),

    'csv:autoMatch': ({ headers, source }) =>
      translate(async () => {
        const schema = await loadSchema(source);
        return { matches: autoMatch(headers, schema), mapping: autoMapping(headers, schema) };
      }),

    'csv:preview': ({ path, sheet, source, mapping, rows }) =>
      translate(async () => {
        const schema = await loadSchema(source);
        const preview = await previewCsv(
          files.check(path, 'read', 'the CSV file'),
          mapping,
          schema,
          { rows, ...(sheet ? { sheet } : {}) },
        );
        return {
          columns: [...schema.columnNames],
          rows: preview.rows.map((row): PreviewRow => ({
            rowNumber: row.rowNumber,
            ok: row.ok,
            contactId: row.contactId || undefined,
            values: Object.fromEntries(
              Object.entries(row.cells).map(([column, cell]) => [column, cell.value]),
            ),
            problems: [
              ...row.rowProblems,
              ...Object.values(row.cells).flatMap((cell) => cell.problems),
            ],
          })),
        };
      }),

    'csv:prepare': (request) =>
      translate(async () => {
        const { jobId, source, mapping, overwrite, sheet } = request;
        const path = files.check(request.path, 'read', 'the CSV file');
        const outPath = files.check(request.outPath, 'write', 'the clean file');
        const rejectsPath = files.check(request.rejectsPath, 'write', 'the rejects file');
        return preparations.run(jobId, async (signal) => {
          refuseSameFile(path, outPath, rejectsPath);
          refuseToOverwrite([outPath, rejectsPath], overwrite);
          const schema = await loadSchema(source);
          // Off the main thread: the desktop app's window stays responsive on a 1M-row file.
          const summary = await prepareCsvInWorker(
            {
              csvPath: path,
              ...(sheet ? { sheet } : {}),
              schema,
              mapping,
              outPath,
              rejectsPath,
              signal,
              onProgress: (progress) => deps.events.emit('csv:progress', { jobId, ...progress }),
              // the clean rows that deserve a look, counted as they are written
              maxWarningRows: PREPARE_WARNING_ROWS,
            },
            deps.prepareWorker,
          );
          return {
            rowsRead: summary.rowsRead,
            clean: summary.clean,
            rejected: summary.rejected,
            byRule: summary.byRule as Record<string, number>,
            outPath,
            rejectsPath,
            warned: summary.warned,
            byWarning: summary.byWarning as Record<string, number>,
            warningRows: summary.warningRows,
          };
        });
      }),

    'csv:cancel': async ({ jobId }) => preparations.cancel(jobId),
  };
}

/** Turns the pipeline's file-level errors into contract errors with the same message. */
export async function translate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CsvFileError) {
      // a cancel is the consultant's own doing: the UI says so without showing an error
      const code =
        error.reason === 'not-found'
          ? 'not-found'
          : error.reason === 'cancelled'
            ? 'cancelled'
            : 'invalid-request';
      throw new ContractError(code, error.message);
    }
    throw error;
  }
}
