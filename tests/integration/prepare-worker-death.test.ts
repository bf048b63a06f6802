// When the prepare worker dies (out of memory, a crash, an exit) the parent turns it into a
// CsvFileError the CLI and the app can show, and removes the output files that preparation
// wrote, never a file it did not touch. The worker really dies: tests/support/dying-prepare-worker.ts
// runs the real entry under the real heap cap and kills the thread part way (or blocks it, so
// that a cancel goes unanswered and the parent has to stop the thread itself).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists } from '../support/temp-folder';
import { readMapping } from '../../core/csv/index';
import type { PrepareOptions, PrepareProgress } from '../../core/csv/index';
import { prepareCsvInWorker } from '../../core/csv/prepare-in-worker';
import { createServices, dispatch } from '../../core/services';
import type { DeathPlan } from '../support/dying-prepare-worker';
import { FIXTURE_MAPPING, HEADER } from '../unit/csv/fixtures';
import { testSchema } from '../unit/csv/helpers';

const ROWS = 30_000;
const DYING_ENTRY = new URL('../support/dying-prepare-worker.ts', import.meta.url);

let folder: string;
let csvPath: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sluice-prepare-worker-death-'));
  csvPath = join(folder, 'contacts.csv');
  const lines = [HEADER.join(',')];
  for (let index = 0; index < ROWS; index += 1) {
    // Every 100th phone is too short, so both the clean and the rejects file get rows.
    const mobile =
      index % 100 === 0 ? '555-01' : `(212) 555-${String(index % 10_000).padStart(4, '0')}`;
    lines.push(`C${index},Ann,Lee,${mobile},,ann${index}@example.com`);
  }
  await writeFile(csvPath, `${lines.join('\r\n')}\r\n`);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Prepares in the dying worker; resolves to the outputs' paths and the progress seen. */
function prepareAndDie(
  name: string,
  plan: DeathPlan,
  overrides: Partial<PrepareOptions> = {},
  cancelGraceMs?: number,
) {
  const outPath = join(folder, `${name}.clean.csv`);
  const rejectsPath = join(folder, `${name}.rejects.csv`);
  const progress: PrepareProgress[] = [];
  // Whether both outputs were on disk when the last progress arrived (the worker dies right after).
  const written = { both: false };
  const run = prepareCsvInWorker(
    {
      csvPath,
      schema: testSchema(),
      mapping: readMapping(FIXTURE_MAPPING),
      outPath,
      rejectsPath,
      chunkBytes: 16 * 1024,
      onProgress: (update) => {
        progress.push(update);
        written.both = existsSync(outPath) && existsSync(rejectsPath);
      },
      ...overrides,
      ...({ ...plan } as object),
    },
    { url: DYING_ENTRY, ...(cancelGraceMs === undefined ? {} : { cancelGraceMs }) },
  );
  return { run, outPath, rejectsPath, progress, written };
}

describe('a prepare worker that dies part way', () => {
  it('out of memory: CsvFileError too-large naming the file and what to do, no output left', async () => {
    const { run, outPath, rejectsPath, progress, written } = prepareAndDie('oom', {
      death: 'out-of-memory',
      phase: 'preparing',
      afterRows: 20_000,
    });
    const error: unknown = await run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'CsvFileError', reason: 'too-large', path: csvPath });
    const { message } = error as Error;
    expect(message).toContain(csvPath);
    expect(message).toMatch(/memory/);
    expect(message).toMatch(/split it into smaller files/i);
    expect(message).toMatch(/no clean or rejects file was written/i);
    // It died part way through writing: rows had been read, not all of them.
    expect(progress.at(-1)?.rowsRead).toBeGreaterThanOrEqual(20_000);
    expect(progress.at(-1)?.rowsRead).toBeLessThan(ROWS);
    expect(written.both).toBe(true);
    expect(await exists(outPath)).toBe(false);
    expect(await exists(rejectsPath)).toBe(false);
  });

  it('an uncaught exception: CsvFileError unreadable saying the prepare did not finish, no output left', async () => {
    const { run, outPath, rejectsPath, written } = prepareAndDie('uncaught', {
      death: 'uncaught',
      phase: 'preparing',
      afterRows: 20_000,
    });
    const error: unknown = await run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'CsvFileError', reason: 'unreadable', path: csvPath });
    const { message } = error as Error;
    expect(message).toContain(csvPath);
    expect(message).toMatch(/did not finish/);
    expect(message).toContain('simulated crash in the prepare worker');
    expect(written.both).toBe(true);
    expect(message).toMatch(/no clean or rejects file was written/i);
    expect(await exists(outPath)).toBe(false);
    expect(await exists(rejectsPath)).toBe(false);
  });

  it('an exit without an answer: CsvFileError unreadable with the exit code, no output left', async () => {
    const { run, outPath, rejectsPath } = prepareAndDie('exit', {
      death: 'exit',
      phase: 'preparing',
      afterRows: 20_000,
    });
    const error: unknown = await run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'CsvFileError', reason: 'unreadable' });
    expect((error as Error).message).toMatch(/did not finish.*exit code 7/);
    expect(await exists(outPath)).toBe(false);
    expect(await exists(rejectsPath)).toBe(false);
  });

  it('replacing existing outputs (overwrite): the half-written replacements are removed too', async () => {
    const outPath = join(folder, 'replaced.clean.csv');
    const rejectsPath = join(folder, 'replaced.rejects.csv');
    await writeFile(outPath, 'an earlier clean file\r\n');
    await writeFile(rejectsPath, 'an earlier rejects file\r\n');
    const { run } = prepareAndDie('replaced', {
      death: 'out-of-memory',
      phase: 'preparing',
      afterRows: 20_000,
    });
    await expect(run).rejects.toMatchObject({ reason: 'too-large' });
    expect(await exists(outPath)).toBe(false);
    expect(await exists(rejectsPath)).toBe(false);
  });

  it('dying before the outputs are opened: files that were already there stay untouched', async () => {
    const outPath = join(folder, 'early.clean.csv');
    const rejectsPath = join(folder, 'early.rejects.csv');
    await writeFile(outPath, 'an earlier clean file\r\n');
    await writeFile(rejectsPath, 'an earlier rejects file\r\n');
    // keep-last reads the whole file once for the ids before it opens the outputs.
    const { run, progress } = prepareAndDie(
      'early',
      { death: 'out-of-memory', phase: 'indexing-ids', afterRows: 10_000 },
      { mapping: { ...readMapping(FIXTURE_MAPPING), duplicateIds: 'keep-last' } },
    );
    await expect(run).rejects.toMatchObject({ reason: 'too-large' });
    expect(progress.some((update) => update.phase === 'preparing')).toBe(false);
    expect(await readFile(outPath, 'utf8')).toBe('an earlier clean file\r\n');
    expect(await readFile(rejectsPath, 'utf8')).toBe('an earlier rejects file\r\n');
  });
});

describe('a prepare worker that does not answer a cancel', () => {
  it('is stopped after the grace time: settles cancelled, no output left', async () => {
    const cancel = new AbortController();
    const { run, outPath, rejectsPath, progress, written } = prepareAndDie(
      'stuck',
      { death: 'stuck', phase: 'preparing', afterRows: 20_000 },
      {
        // The worker blocks right after this progress message, so it never reads the cancel.
        onProgress: (update) => {
          progress.push(update);
          written.both = existsSync(outPath) && existsSync(rejectsPath);
          if (update.phase === 'preparing' && update.rowsRead >= 20_000) cancel.abort();
        },
        signal: cancel.signal,
      },
      300,
    );
    const error: unknown = await run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'CsvFileError', reason: 'cancelled', path: csvPath });
    const { message } = error as Error;
    expect(message).toBe(
      `Preparing ${csvPath} was cancelled. No clean or rejects file was written.`,
    );
    expect(cancel.signal.aborted).toBe(true);
    expect(progress.at(-1)?.rowsRead).toBeLessThan(ROWS);
    expect(written.both).toBe(true);
    expect(await exists(outPath)).toBe(false);
    expect(await exists(rejectsPath)).toBe(false);
  });
});

describe('a prepare worker that dies, in the app', () => {
  it('csv:prepare answers invalid-request with the message to show, and leaves no output', async () => {
    const listPath = join(folder, 'list.json');
    await writeFile(
      listPath,
      JSON.stringify({ name: 'L', columnNames: ['Email'], phoneColumns: [] }),
    );
    const outPath = join(folder, 'app.clean.csv');
    const rejectsPath = join(folder, 'app.rejects.csv');
    const services = createServices({
      version: 't',
      dataFolder: folder,
      shell: 'web-host',
      prepareWorker: { url: DYING_ENTRY },
    });
    // The services build the worker's data themselves: the plan goes through the environment,
    // which the worker copies when it starts.
    process.env.SLUICE_TEST_WORKER_DEATH = JSON.stringify({
      death: 'out-of-memory',
      phase: 'preparing',
      afterRows: 20_000,
    } satisfies DeathPlan);
    try {
      const answer = await dispatch(services, 'csv:prepare', {
        jobId: 'dies',
        path: csvPath,
        source: { kind: 'file', path: listPath },
        mapping: readMapping({
          columns: { Email: { source: { kind: 'csv', header: 'Email' } } },
          contactId: { kind: 'column', column: 'Email' },
        }),
        outPath,
        rejectsPath,
      });
      expect(answer).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-request',
          message: expect.stringMatching(/^\/.*contacts\.csv needs more than the 64 MB of memory/),
        },
      });
    } finally {
      delete process.env.SLUICE_TEST_WORKER_DEATH;
    }
    expect(await exists(outPath)).toBe(false);
    expect(await exists(rejectsPath)).toBe(false);
  });

  it('csv:check says the check did not finish, nothing about clean or rejects files, and removes its temporary files', async () => {
    const listPath = join(folder, 'check-list.json');
    await writeFile(
      listPath,
      JSON.stringify({ name: 'L', columnNames: ['Email'], phoneColumns: [] }),
    );
    const services = createServices({
      version: 't',
      dataFolder: folder,
      shell: 'web-host',
      prepareWorker: { url: DYING_ENTRY },
    });
    // A temporary folder of this test's own, so what the check leaves there is its doing.
    const temporary = join(folder, 'tmp');
    await mkdir(temporary);
    const tmpdirBefore = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
    process.env.SLUICE_TEST_WORKER_DEATH = JSON.stringify({
      death: 'uncaught',
      phase: 'preparing',
      afterRows: 20_000,
    } satisfies DeathPlan);
    try {
      const answer = await dispatch(services, 'csv:check', {
        jobId: 'check-dies',
        path: csvPath,
        source: { kind: 'file', path: listPath },
        mapping: readMapping({
          columns: { Email: { source: { kind: 'csv', header: 'Email' } } },
          contactId: { kind: 'column', column: 'Email' },
        }),
      });
      expect(answer).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-request',
          message: `Checking ${csvPath} did not finish (the checking thread crashed: simulated crash in the prepare worker). Try again; if it stops the same way again, report it.`,
        },
      });
    } finally {
      delete process.env.SLUICE_TEST_WORKER_DEATH;
      if (tmpdirBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdirBefore;
    }
    expect(await readdir(temporary)).toEqual([]);
  });
});
