import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { readMapping, type Mapping } from '../../core/csv/index';

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
