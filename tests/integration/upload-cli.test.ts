import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../core/engine/journal/journal';
import type { Sandbox } from '../../core/sandbox';
import { contactPosts, expectWrittenOnce, writesById } from '../support/exactly-once';
import type { SluiceResult } from '../support/sluice-cli';
import { sluiceCliHarness } from '../support/sluice-cli-harness';
import { clientRateLimit, missingContactAddPermission } from '../support/upload-fixtures';

const cli = sluiceCliHarness('sluice-upload-cli-');
const { root, target, uploadArgs } = cli;

function writeCsv(name: string, rows: number, badRows: ReadonlySet<number> = new Set()): string {
  const lines = ['AccountId,FirstName,LastName,HomePhone,Region'];
  for (let n = 1; n <= rows; n += 1) {
    const phone = badRows.has(n) ? '12' : `+1317${String(2000000 + n)}`;
    lines.push(`ACC-${n},First${n},Last${n},${phone},=cmd|${n}`);
  }
  const path = join(root, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function sluice(
  args: string[],
  onSpawn?: (child: ChildProcess) => void,
  options: { stderrTty?: boolean } = {},
): Promise<SluiceResult> {
  const { child, done } = cli.spawn(args, options);
  onSpawn?.(child);
  return done;
}

/** The frames of the run's progress line in `stderr` (printed on a terminal only). */
function progressFrames(stderr: string): string[] {
  return stderr
    .split(/[\r\n]/)
    .map((line) => line.trim())
    .filter((line) => /^\[[#.]+\] /.test(line));
}

/** run.json of the one run under `runDir`. */
function runJson(runDir: string): Record<string, unknown> {
  const runId = readdirSync(runDir)[0] as string;
  return JSON.parse(readFileSync(join(runDir, runId, 'run.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function jsonLine(result: SluiceResult): Record<string, unknown> {
  const last = result.stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as Record<string, unknown>;
}

/** What `writeCsv` rows store, by contact id, leaving out `skip` (rows never sent). */
function expectedContacts(
  rows: number,
  skip: ReadonlySet<number> = new Set(),
): Map<string, Record<string, string>> {
  const expected = new Map<string, Record<string, string>>();
  for (let n = 1; n <= rows; n += 1) {
    if (skip.has(n)) continue;
    expected.set(`ACC-${n}`, {
      AccountId: `ACC-${n}`,
      FirstName: `First${n}`,
      LastName: `Last${n}`,
      HomePhone: `+1317${String(2000000 + n)}`,
      Region: `=cmd|${n}`,
    });
  }
  return expected;
}

function newList(box: Sandbox): string {
  const org = box.orgs[0];
  if (!org) throw new Error('no org');
  return box.inspect.createContactList(org.id, {
    name: `CLI ${Math.random()}`,
    columnNames: ['AccountId', 'FirstName', 'LastName', 'HomePhone', 'Region'],
    phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
  }).id;
}

describe('sluice upload (child process)', () => {
  it('uploads a CSV, counts validation rejects, exits 3 and prints the JSON line', async () => {
    const sandbox = await cli.startSandbox({ scenario: 'demo' });
    const listId = newList(sandbox);
    const csv = writeCsv('small.csv', 120, new Set([5, 77]));
    const runDir = join(root, 'runs-small');
    const result = await sluice(uploadArgs(csv, listId, runDir, ['--batch-size', '25']));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    const line = jsonLine(result);
    expect(line).toMatchObject({
      rowsRead: 120,
      uploaded: 118,
      rejected: 2,
      failed: 0,
      skipped: 0,
    });
    expectWrittenOnce(sandbox, listId, expectedContacts(120, new Set([5, 77])), () => true);
    const rejected = readFileSync(join(String(line.runDir), 'rejected-rows.csv'), 'utf8');
    expect(rejected).toMatch(/^row,contactId,reason/);
    expect(rejected).toContain("'=cmd|5");
    const summary = JSON.parse(readFileSync(join(String(line.runDir), 'summary.json'), 'utf8'));
    expect(summary.invariant).toEqual({ holds: true, problems: [] });

    const runs = await sluice(['runs', '--run-dir', runDir, '--json']);
    expect(JSON.parse(runs.stdout)).toHaveLength(1);
  });

  it("counts the file's rows before the first request: run.json, the progress total and ETA from the first tick", async () => {
    const sandbox = await cli.startSandbox({ scenario: 'demo', overrides: clientRateLimit(40) });
    const listId = newList(sandbox);
    // 100 batches of 10 at 40 requests a second: the reader, a few batches ahead of the 16
    // workers, is far from the file's end at the first ticks, so only a count knows the total.
    const rows = 1000;
    // Every tenth row's Region holds a quoted line break: the file has more lines than rows,
    // and the count must be the rows as the run reads them.
    const lines = ['AccountId,FirstName,LastName,HomePhone,Region'];
    const expected = new Map<string, Record<string, string>>();
    for (let n = 1; n <= rows; n += 1) {
      const region = n % 10 === 0 ? `North\nRegion ${n}` : `Region ${n}`;
      const phone = `+1317${String(2000000 + n)}`;
      lines.push(`ACC-${n},First${n},Last${n},${phone},"${region}"`);
      expected.set(`ACC-${n}`, {
        AccountId: `ACC-${n}`,
        FirstName: `First${n}`,
        LastName: `Last${n}`,
        HomePhone: phone,
        Region: region,
      });
    }
    const csv = join(root, 'counted.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const runDir = join(root, 'runs-counted');
    const args = uploadArgs(csv, listId, runDir, ['--batch-size', '10']).filter(
      (arg) => arg !== '--json',
    );
    const result = await sluice(args, undefined, { stderrTty: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `rows read ${rows} = uploaded ${rows} + rejected 0 + failed 0 + skipped 0\n`,
    );
    // The count's own progress, as `sluice prepare` shows it, then the run's line.
    expect(result.stderr).toContain('Counting rows: 100% (1,000 rows)');
    const frames = progressFrames(result.stderr);
    expect(frames.length).toBeGreaterThan(1);
    // Every frame, the first included, is of the file's rows: the total is known from the start.
    for (const frame of frames) expect(frame).toMatch(new RegExp(` \\d+/${rows} rows `));
    // and so is the ETA, from the first tick with a rate.
    const rated = frames.filter((frame) => / [1-9]\d* rows\/s /.test(frame));
    expect(rated.length).toBeGreaterThan(0);
    for (const frame of rated) expect(frame).toMatch(/ · \d+s left$/);
    const { size, mtimeMs } = statSync(csv);
    expect(runJson(runDir).fileRows).toEqual({ rows, size, mtimeMs });
    expectWrittenOnce(sandbox, listId, expected, () => true);
    const runId = readdirSync(runDir)[0] as string;
    const summary = JSON.parse(readFileSync(join(runDir, runId, 'summary.json'), 'utf8'));
    expect(summary.invariant).toEqual({ holds: true, problems: [] });
  });

  it('uploads through the bulk import with --strategy import', async () => {
    const sandbox = await cli.startSandbox({ scenario: 'demo' });
    const listId = newList(sandbox);
    const csv = writeCsv('import.csv', 400, new Set([3]));
    const result = await sluice(
      uploadArgs(csv, listId, join(root, 'runs-import'), ['--strategy', 'import']),
    );
    expect(result.code).toBe(3);
    expect(jsonLine(result)).toMatchObject({
      rowsRead: 400,
      uploaded: 399,
      rejected: 1,
      failed: 0,
    });
    expectWrittenOnce(sandbox, listId, expectedContacts(400, new Set([3])), () => true);
  });

  it('stops on a 403 counting the rows it did not store (notSent), and resume sends each once the permission is back', async () => {
    const sandbox = await cli.startSandbox({ scenario: 'demo' });
    const listId = newList(sandbox);
    const csv = writeCsv('forbidden.csv', 200);
    const runDir = join(root, 'runs-forbidden');
    // the client's role lacks the permission for the first contact POST
    sandbox.inspect.scriptAnswers([missingContactAddPermission()]);
    const first = await sluice(uploadArgs(csv, listId, runDir, ['--batch-size', '25']));
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(
      /^sluice: .*outbound:contact:add.*were not stored; once that is fixed, resuming the run sends them/m,
    );
    const stopped = jsonLine(first);
    expect(Number(stopped.rowsRead)).toBeGreaterThan(0);
    expect(stopped).toMatchObject({
      uploaded: 0,
      failed: stopped.rowsRead,
      notSent: stopped.rowsRead,
    });
    expect(sandbox.inspect.contacts(listId)).toHaveLength(0);

    const resumed = await sluice([
      'resume',
      String(stopped.runId),
      '--run-dir',
      runDir,
      ...target(),
    ]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(
      'rows read 200 = uploaded 200 + rejected 0 + failed 0 + skipped 0\n',
    );
    expectWrittenOnce(sandbox, listId, expectedContacts(200), () => true);
  });

  it('pauses cleanly on Ctrl-C (SIGINT), prints how to resume, and resume finishes the run with the count', async () => {
    const sandbox = await cli.startSandbox({ scenario: 'demo', overrides: clientRateLimit(10) });
    const listId = newList(sandbox);
    // 50 batches at 10 requests a second: five seconds, so a late Ctrl-C still lands mid-run.
    const csv = writeCsv('pause.csv', 1000);
    const runDir = join(root, 'runs-pause');
    // The Sandbox draws each request's latency from its live config: from 60 contacts on every
    // answer takes a second, so the pause waits that long for the requests in flight. One
    // Ctrl-C must stay one press all that time (conf's exit hook re-raises SIGINT once: counted
    // as a second press, it would quit at once without the pause).
    const latency = sandbox.inspect.config().faults.latency;
    const first = await sluice(uploadArgs(csv, listId, runDir, ['--batch-size', '20']), (child) => {
      const timer = setInterval(() => {
        if (sandbox.inspect.contacts(listId).length >= 60) {
          clearInterval(timer);
          Object.assign(latency, { minMs: 1000, maxMs: 1000 });
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      }, 50);
      child.on('close', () => clearInterval(timer));
    });
    Object.assign(latency, { minMs: 0, maxMs: 0 });
    expect(first.stderr).not.toMatch(/stopped without waiting/);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/Paused\. Resume with: sluice resume /);
    const paused = jsonLine(first);
    expect(Number(paused.uploaded)).toBeGreaterThanOrEqual(60);
    expect(Number(paused.uploaded)).toBeLessThan(1000);
    // The resume keeps the count the upload made (run.json's fileRows): its progress line is of
    // the file's 1000 rows from its first tick, though its reader starts again from the top.
    expect(runJson(runDir).fileRows).toMatchObject({ rows: 1000 });
    const resumed = await sluice(
      ['resume', String(paused.runId), '--run-dir', runDir, ...target()],
      undefined,
      { stderrTty: true },
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(
      'rows read 1000 = uploaded 1000 + rejected 0 + failed 0 + skipped 0\n',
    );
    const frames = progressFrames(resumed.stderr);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatch(/ \d+\/1000 rows /);
    // Ctrl-C waits for the requests in flight, so nothing is sent twice.
    expectWrittenOnce(sandbox, listId, expectedContacts(1000), () => true);
  });

  it('quits at once on a second Ctrl-C while the pause waits, and resume finishes the run', async () => {
    const sandbox = await cli.startSandbox({ scenario: 'demo', overrides: clientRateLimit(10) });
    const listId = newList(sandbox);
    const csv = writeCsv('quit.csv', 1000);
    const runDir = join(root, 'runs-quit');
    // Answers take three seconds from 60 contacts on, so the pause is still waiting when the
    // second Ctrl-C comes (sent once the first one's "Pausing" line is out).
    const latency = sandbox.inspect.config().faults.latency;
    const first = await sluice(uploadArgs(csv, listId, runDir, ['--batch-size', '20']), (child) => {
      const timer = setInterval(() => {
        if (sandbox.inspect.contacts(listId).length >= 60) {
          clearInterval(timer);
          Object.assign(latency, { minMs: 3000, maxMs: 3000 });
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      }, 50);
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Pausing')) child.kill('SIGINT');
      });
      child.on('close', () => clearInterval(timer));
    });
    Object.assign(latency, { minMs: 0, maxMs: 0 });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(
      /stopped without waiting; the journal keeps what was acknowledged/,
    );
    expect(first.stderr).not.toMatch(/Paused\. Resume with/);
    const runId = readdirSync(runDir)[0] as string;
    const resumed = await sluice(['resume', runId, '--run-dir', runDir, ...target(), '--json']);
    expect(resumed.code).toBe(0);
    expect(jsonLine(resumed)).toMatchObject({ rowsRead: 1000, uploaded: 1000, failed: 0 });
    // The batches in flight at the quit may have been stored without a journal line, so only
    // they may have been written twice.
    expectWrittenOnce(sandbox, listId, expectedContacts(1000), () => true, { min: 1, max: 2 });
  });

  it('survives SIGKILL mid-run: resume leaves exactly the expected contacts, once each', async () => {
    const sandbox = await cli.startSandbox({ scenario: 'demo', overrides: clientRateLimit(12) });
    const listId = newList(sandbox);
    const rows = 1500;
    const csv = writeCsv('big.csv', rows);
    const runDir = join(root, 'runs-kill');
    // Kill once the Sandbox holds 160 contacts and the journal has made an acknowledgement
    // durable (its group commit can lag the Sandbox's count on a loaded machine): at 12 requests
    // a second the 75 batches take over six seconds, so the kill lands mid-run.
    const first = await sluice(uploadArgs(csv, listId, runDir, ['--batch-size', '20']), (child) => {
      const journaledUpload = () => {
        const runFolder = existsSync(runDir) ? readdirSync(runDir)[0] : undefined;
        if (runFolder === undefined) return false;
        for (const outcome of readJournal(join(runDir, runFolder)).outcomes.values())
          if (outcome === 'uploaded') return true;
        return false;
      };
      const timer = setInterval(() => {
        if (sandbox.inspect.contacts(listId).length >= 160 && journaledUpload()) {
          clearInterval(timer);
          child.kill('SIGKILL');
        }
      }, 50);
      child.on('close', () => clearInterval(timer));
    });
    expect(first.code).toBeNull(); // killed by the signal
    const before = sandbox.inspect.contacts(listId).length;
    expect(before).toBeGreaterThanOrEqual(160);
    expect(before).toBeLessThan(rows);

    const runId = readdirSync(runDir)[0] as string;
    const listed = await sluice(['runs', '--run-dir', runDir, '--json']);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ runId, state: 'paused' });

    // The journal numbers rows by file line (the header is line 1): row line L is ACC-(L-1).
    const acknowledgedIds = [...readJournal(join(runDir, runId)).outcomes]
      .filter(([, outcome]) => outcome === 'uploaded')
      .map(([line]) => `ACC-${line - 1}`);
    const acknowledgedRows = acknowledgedIds.length;
    expect(acknowledgedRows).toBeGreaterThan(0);
    expect(acknowledgedRows).toBeLessThan(rows);
    const requestsBefore = sandbox.inspect.requests().length;
    const resumed = await sluice(['resume', runId, '--run-dir', runDir, ...target(), '--json']);
    expect(resumed.code).toBe(0);
    expect(jsonLine(resumed)).toMatchObject({
      runId,
      rowsRead: rows,
      uploaded: rows,
      failed: 0,
      rejected: 0,
    });
    // Every row on the Sandbox with its values. Only the batches in flight at the kill (at most
    // one per worker: 16 workers of 20 rows) can have been committed without a journal line,
    // so only they may be written twice, and the resume re-sent nothing else.
    expectWrittenOnce(sandbox, listId, expectedContacts(rows), () => true, { min: 1, max: 2 });
    const writes = writesById(sandbox, listId);
    const writtenTwice = [...writes.values()].filter((n) => n === 2);
    expect(writtenTwice.length).toBeLessThanOrEqual(16 * 20);
    // What the journal held as acknowledged was never sent again.
    expect(acknowledgedIds.filter((id) => writes.get(id) !== 1)).toEqual([]);
    expect(contactPosts(sandbox, requestsBefore)).toBeLessThanOrEqual(
      Math.ceil((rows - acknowledgedRows) / 20) + 16,
    );
    const summary = JSON.parse(readFileSync(join(runDir, runId, 'summary.json'), 'utf8'));
    expect(summary.invariant.holds).toBe(true);
  });
});
