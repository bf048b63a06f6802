import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAppLog, openAppLogOrStderr, type AppLog } from '../../../core/log/app-log';
import { installCrashHandlers, reportCrash } from '../../../core/log/crash-handlers';
import { formatDiagnostics } from '../../../core/log/diagnostics';
import { logFiles, recentProblems } from '../../../core/log/recent-entries';
import { RunEventsLog } from '../../../core/log/run-events-log';

const folders: string[] = [];
const logs: AppLog[] = [];

afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function open(): Promise<{ log: AppLog; dataFolder: string }> {
  const dataFolder = mkdtempSync(path.join(os.tmpdir(), 'sluice-log-'));
  folders.push(dataFolder);
  const log = await openAppLog({ dataFolder, process: 'cli' });
  logs.push(log);
  return { log, dataFolder };
}

/**
 * The log's entries once the file holds them. A write may still be in flight on a loaded
 * machine (sonic-boom writes asynchronously and flushSync then has nothing it may flush), so
 * this waits, boundedly, for complete lines rather than reading a half-written file, and, with
 * `last`, for the last line to be the one the test wrote last: an earlier line can be complete
 * while the last write is still in flight.
 */
async function lines(
  log: AppLog,
  last?: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  return vi.waitFor(
    () => {
      log.flushSync();
      const [file] = logFiles(log.folder);
      if (!file) throw new Error('no log file');
      const text = readFileSync(file, 'utf8');
      if (!text.endsWith('\n')) throw new Error('the last line is not written yet');
      const entries = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      if (last) expect(entries.at(-1)).toMatchObject(last);
      return entries;
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe('openAppLog', () => {
  it('writes JSON lines with time, level and process to <data>/logs, private to the user', async () => {
    const { log, dataFolder } = await open();
    log.logger.info({ runId: 'r1', org: 'Acme' }, 'hello');
    const [entry] = await lines(log);
    expect(entry).toMatchObject({
      level: 'info',
      process: 'cli',
      runId: 'r1',
      org: 'Acme',
      msg: 'hello',
    });
    expect(new Date(String(entry?.time)).getTime()).not.toBeNaN();
    expect(log.folder).toBe(path.join(dataFolder, 'logs'));
    if (process.platform !== 'win32') {
      expect(statSync(log.folder).mode & 0o777).toBe(0o700);
      expect(statSync(logFiles(log.folder)[0] ?? '').mode & 0o777).toBe(0o600);
    }
  });

  it('never writes a secret, whether passed as a field, in a message or in an error', async () => {
    const { log } = await open();
    log.logger.warn(
      { headers: { authorization: 'Bearer LEAK1' }, clientSecret: 'LEAK2' },
      'token response access_token=LEAK3',
    );
    log.logger.error({ err: new Error('refused Basic TEVBSzQ=') }, 'sign-in failed');
    log.logger.info('plain message with Bearer LEAK5');
    const text = JSON.stringify(await lines(log));
    expect(text).not.toMatch(/LEAK|TEVBSzQ/);
    expect(text).toContain('sign-in failed');
  });
});

describe('RunEventsLog', () => {
  it('logs batch outcomes with correlation ids and remembers which runs are running', async () => {
    const { log } = await open();
    const runLog = new RunEventsLog(log.logger);
    runLog.setOrg('run-1', 'Acme EU');
    runLog.onEvent('runs:metrics', { runId: 'run-1', state: 'running' });
    runLog.onEvent('runs:batch', {
      runId: 'run-1',
      batchId: 'b1',
      outcome: 'retrying',
      rows: 20,
      attempt: 1,
      detail: { reason: 'Rate limit', status: 429, correlationId: 'corr-429' },
    });
    expect(runLog.runningRunIds()).toEqual(['run-1']);
    reportCrash(
      { log, runningRunIds: () => runLog.runningRunIds() },
      'uncaught-exception',
      new Error('boom'),
    );
    runLog.onEvent('runs:finished', {
      runId: 'run-1',
      orgName: 'Acme EU',
      state: 'completed',
      rowsRead: 20,
      uploaded: 20,
      rejected: 0,
      failed: 0,
      skipped: 0,
      requests: 2,
      throttled: 1,
      invariant: { holds: true, problems: [] },
    });
    expect(runLog.runningRunIds()).toEqual([]);
    const entries = await lines(log);
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        runId: 'run-1',
        org: 'Acme EU',
        status: 429,
        correlationId: 'corr-429',
        outcome: 'retrying',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'fatal', event: 'crash', runningRunIds: ['run-1'] }),
    );
    expect(entries.at(-1)).toMatchObject({
      event: 'run-finished',
      uploaded: 20,
      invariantHolds: true,
    });

    const problems = recentProblems(log.folder);
    expect(problems.map((entry) => entry.level)).toEqual(['warn', 'fatal']);
    const report = formatDiagnostics({
      versions: { app: '1.2.3', node: process.versions.node },
      settings: { orgs: [{ name: 'Acme EU', clientSecret: 'LEAK' }] },
      recentProblems: problems,
      dataFolder: '/data',
      logsFolder: log.folder,
    });
    expect(report).toContain('app 1.2.3');
    expect(report).toContain('correlationId=corr-429');
    expect(report).toContain('boom');
    expect(report).not.toContain('LEAK');
  });
});

describe('RunEventsLog for runs started elsewhere (the app)', () => {
  it("asks for the org of a run it first meets and adds it to the run's later lines", async () => {
    const { log } = await open();
    const asked: string[] = [];
    const runLog = new RunEventsLog(log.logger, async (runId) => {
      asked.push(runId);
      return 'Acme US';
    });
    runLog.onEvent('runs:metrics', { runId: 'run-2', state: 'running' });
    runLog.onEvent('runs:metrics', { runId: 'run-2', state: 'running' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    runLog.onEvent('runs:batch', {
      runId: 'run-2',
      batchId: 'b',
      outcome: 'uploaded',
      rows: 5,
      attempt: 1,
    });
    expect(asked).toEqual(['run-2']);
    const batchLine = { event: 'batch', runId: 'run-2', org: 'Acme US' };
    expect((await lines(log, batchLine)).at(-1)).toMatchObject(batchLine);
  });
});

describe('installCrashHandlers', () => {
  it('listens for unhandled errors and rejections until uninstalled', async () => {
    const { log } = await open();
    const before = {
      exception: process.listenerCount('uncaughtException'),
      rejection: process.listenerCount('unhandledRejection'),
    };
    const shown: string[] = [];
    const uninstall = installCrashHandlers({
      log,
      runningRunIds: () => ['run-9'],
      show: (report) =>
        shown.push(`${report.kind}: ${report.message} [${report.runningRunIds.join()}]`),
    });
    expect(process.listenerCount('uncaughtException')).toBe(before.exception + 1);
    expect(process.listenerCount('unhandledRejection')).toBe(before.rejection + 1);
    const [onRejection] = process.listeners('unhandledRejection').slice(-1);
    onRejection?.(new Error('lost promise'), Promise.resolve());
    uninstall();
    expect(process.listenerCount('uncaughtException')).toBe(before.exception);
    expect(process.listenerCount('unhandledRejection')).toBe(before.rejection);
    expect(shown).toEqual(['unhandled-rejection: lost promise [run-9]']);
    const fatalLine = { level: 'fatal', kind: 'unhandled-rejection', runningRunIds: ['run-9'] };
    expect((await lines(log, fatalLine)).at(-1)).toMatchObject(fatalLine);
  });
});

describe('closing the log', () => {
  it('drops lines logged after close instead of throwing, and closes once', async () => {
    const { log } = await open();
    log.logger.info('before close');
    await log.close();
    // A signal arriving twice (conf's exit hook re-raises SIGTERM) logs after the close.
    expect(() => log.logger.info('after close')).not.toThrow();
    expect(() => log.logger.fatal(new Error('late crash'), 'late')).not.toThrow();
    await log.close();
    const [file] = logFiles(log.folder);
    const text = readFileSync(file ?? '', 'utf8');
    expect(text).toContain('before close');
    expect(text).not.toContain('after close');
  });
});

describe('openAppLogOrStderr', () => {
  it('falls back to stderr when the log folder cannot be created, instead of failing', async () => {
    const dataFolder = mkdtempSync(path.join(os.tmpdir(), 'sluice-log-'));
    folders.push(dataFolder);
    // A file where the logs folder should be: mkdir fails whatever the user's privileges.
    writeFileSync(path.join(dataFolder, 'logs'), 'not a folder');
    await expect(openAppLog({ dataFolder, process: 'electron' })).rejects.toThrow();
    const log = await openAppLogOrStderr({ dataFolder, process: 'electron', level: 'silent' });
    expect(log.folder).toBe(path.join(dataFolder, 'logs'));
    expect(() => log.logger.error('still callable')).not.toThrow();
    expect(() => log.flushSync()).not.toThrow();
    await log.close();
  });
});
