import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Services } from '../../core/contract';
import { readMapping, type Mapping } from '../../core/csv/index';
import type { WorkerEntry } from '../../core/csv/prepare-in-worker';
import { createServices, dispatch, EventBus } from '../../core/services';

/**
 * What the csv:check and csv:prepare tests through the contract share: a saved list of two
 * columns, Email and Name, a CSV of contacts for it and the mapping that sends each column to its
 * namesake with Email as the contact id.
 */

/** Writes the list `{Email, Name}` into `folder` as list.json; returns its path. */
export async function writeEmailNameList(folder: string): Promise<string> {
  const listPath = join(folder, 'list.json');
  await writeFile(
    listPath,
    JSON.stringify({ name: 'L', columnNames: ['Email', 'Name'], phoneColumns: [] }),
  );
  return listPath;
}

/**
 * Writes `path`: the header `Email,Name`, then `first` lines as given, then `rows` contacts
 * `c<n>@example.com,Ann <n>`.
 */
export async function writeEmailNameCsv(
  path: string,
  rows: number,
  first: readonly string[] = [],
): Promise<string> {
  const lines = ['Email,Name', ...first];
  for (let index = 0; index < rows; index += 1) lines.push(`c${index}@example.com,Ann ${index}`);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** A test file's folder of the job: the list, and a CSV of contacts for it. */
export interface EmailNameFolder {
  readonly folder: string;
  /** contacts.csv in `folder` (see `writeEmailNameCsv`). */
  readonly csvPath: string;
  /** list.json in `folder` (see `writeEmailNameList`). */
  readonly listPath: string;
}

/**
 * Makes a system temporary folder named from `prefix` before the file's tests, with the list and
 * a CSV of `rows` contacts after the `first` lines, and removes it after them. The paths are read
 * from the returned object once the tests run.
 */
export function emailNameFolder(
  prefix: string,
  rows: number,
  first: readonly string[] = [],
): EmailNameFolder {
  const job = { folder: '', csvPath: '', listPath: '' };
  beforeAll(async () => {
    job.folder = await mkdtemp(join(tmpdir(), prefix));
    job.csvPath = await writeEmailNameCsv(join(job.folder, 'contacts.csv'), rows, first);
    job.listPath = await writeEmailNameList(job.folder);
  });
  afterAll(async () => {
    await rm(job.folder, { recursive: true, force: true });
  });
  return job;
}

/** Email and Name to their namesakes, Email the contact id. */
export function emailNameMapping(): Mapping {
  return readMapping({
    columns: {
      Email: { source: { kind: 'csv', header: 'Email' } },
      Name: { source: { kind: 'csv', header: 'Name' } },
    },
    contactId: { kind: 'column', column: 'Email' },
  });
}

/**
 * Gives each test of the file a system temporary folder of its own under `parent()` (as TMPDIR,
 * which the check inherits), so what a check leaves there is that test's doing; after each test
 * TMPDIR is put back and any worker-death plan dropped. Returns a reader of the current folder.
 */
export function temporaryFolderPerTest(parent: () => string): () => string {
  let temporary = '';
  let before: string | undefined;
  beforeEach(async () => {
    temporary = await mkdtemp(join(parent(), 'tmp-'));
    before = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
  });
  afterEach(() => {
    delete process.env.SLUICE_TEST_WORKER_DEATH;
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  });
  return () => temporary;
}

/** The services as the web host makes them over `folder`, with their event bus and `prepareWorker`. */
export function jobServices(
  folder: string,
  prepareWorker?: WorkerEntry,
): { services: Services; events: EventBus } {
  const events = new EventBus();
  const services = createServices({
    version: 't',
    dataFolder: folder,
    shell: 'web-host',
    events,
    ...(prepareWorker ? { prepareWorker } : {}),
  });
  return { services, events };
}

/**
 * Cancels job `jobId` through `channel` (csv:cancel for a preparation, csv:cancelCheck for a
 * check) at the first csv:progress of it whose rows read pass `when` (any progress by default),
 * as the consultant's Cancel would. Returns the rows read each of its progress events showed and
 * the cancel's answer (one at most), both filled as the job runs.
 */
export function cancelOnProgress(
  services: Services,
  events: EventBus,
  jobId: string,
  channel: 'csv:cancel' | 'csv:cancelCheck',
  when: (rowsRead: number) => boolean = () => true,
): { rowsSeen: number[]; cancels: Promise<unknown>[] } {
  const rowsSeen: number[] = [];
  const cancels: Promise<unknown>[] = [];
  events.subscribe((event, payload) => {
    if (event !== 'csv:progress') return;
    const progress = payload as { jobId: string; rowsRead: number };
    if (progress.jobId !== jobId) return;
    rowsSeen.push(progress.rowsRead);
    if (cancels.length === 0 && when(progress.rowsRead))
      cancels.push(dispatch(services, channel, { jobId }));
  });
  return { rowsSeen, cancels };
}
