import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCsv, readMapping } from '../../core/csv/index';
import type { PrepareProgress } from '../../core/csv/index';
import { defaultWorkerEntry, prepareCsvInWorker } from '../../core/csv/prepare-in-worker';
import { bundledWorkerUrl } from '../../core/csv/worker-bundle';
import { FIXTURE_MAPPING, HEADER } from '../unit/csv/fixtures';
import { testSchema } from '../unit/csv/helpers';

let folder: string;
let csvPath: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-prepare-worker-'));
  csvPath = join(folder, 'contacts.csv');
  const lines = [HEADER.join(',')];
  for (let index = 0; index < 30_000; index += 1) {
    const mobile =
      index % 100 === 0 ? '555-01' : `(212) 555-${String(index % 10_000).padStart(4, '0')}`;
    lines.push(`C${index % 29_000},Ann,Lee,${mobile},,ann${index}@example.com`);
  }
  await writeFile(csvPath, `${lines.join('\r\n')}\r\n`);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const options = (name: string) => ({
  csvPath,
  schema: testSchema(),
  mapping: readMapping(FIXTURE_MAPPING),
  outPath: join(folder, `${name}.clean.csv`),
  rejectsPath: join(folder, `${name}.rejects.csv`),
  chunkBytes: 64 * 1024,
});

describe('prepareCsvInWorker (worker thread, entry loaded through tsx)', () => {
  it('gives the same summary and files as prepareCsv on the calling thread, with progress', async () => {
    const progress: PrepareProgress[] = [];
    const inWorker = await prepareCsvInWorker({
      ...options('worker'),
      onProgress: (update) => progress.push(update),
    });
    const inThread = await prepareCsv(options('thread'));
    expect(inWorker).toEqual(inThread);
    expect(inWorker).toMatchObject({ rowsRead: 30_000, rejected: 300 + 1000 - 10 });
    expect(await readFile(join(folder, 'worker.clean.csv'), 'utf8')).toBe(
      await readFile(join(folder, 'thread.clean.csv'), 'utf8'),
    );
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toMatchObject({ rowsRead: 30_000 });
  });

  it('cancels: rejects with reason cancelled and leaves no half-written files', async () => {
    const controller = new AbortController();
    const run = prepareCsvInWorker({
      ...options('cancelled'),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'CsvFileError', reason: 'cancelled' });
    await expect(access(join(folder, 'cancelled.clean.csv'))).rejects.toThrow();
    await expect(access(join(folder, 'cancelled.rejects.csv'))).rejects.toThrow();
  });

  it('keeps file-level errors typed across the thread boundary', async () => {
    await expect(
      prepareCsvInWorker({ ...options('missing'), csvPath: join(folder, 'missing.csv') }),
    ).rejects.toMatchObject({
      reason: 'not-found',
      message: `${join(folder, 'missing.csv')} does not exist`,
    });
  });
});

describe('the worker from source', () => {
  it('starts from an esbuild bundle of its entry (no tsx in the thread), named by its content', async () => {
    const url = await bundledWorkerUrl(defaultWorkerEntry().url);
    expect(url?.href).toMatch(/node_modules\/\.cache\/sluice\/prepare-worker-[0-9a-f]{16}\.mjs$/);
    const text = await readFile(url!, 'utf8');
    // One module: the cell mapper prepare runs is inside, packages stay imports resolved from node_modules.
    expect(text).toContain('function createCellMapper');
    expect(text).toMatch(/from "papaparse"/);
    // Built once per process: the same URL again.
    expect((await bundledWorkerUrl(defaultWorkerEntry().url))?.href).toBe(url?.href);
  });
});
