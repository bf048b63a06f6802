import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../core/engine/run/run-lock';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { expectWrittenOnce } from '../support/exactly-once';
import { newList } from '../support/upload-fixtures';
import { spawnSluice, type SpawnedSluice } from '../support/sluice-cli';

// Two real `sluice` processes on one run folder: the second refuses while the first runs it,
// so no row is sent by both (the Sandbox's write counts show it).
const root = mkdtempSync(join(tmpdir(), 'sluice-run-lock-cli-'));
let sandbox: Sandbox | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sluice(args: string[]): SpawnedSluice {
  const spawned = spawnSluice(args, {
    env: {
      SLUICE_CLIENT_SECRET: sandbox?.orgs[0]?.clientSecret ?? '',
      SLUICE_DATA_DIR: join(root, 'data'),
    },
  });
  children.push(spawned.child);
  return spawned;
}

function writeCsv(rows: number): string {
  const lines = ['AccountId,FirstName,LastName,HomePhone,Region'];
  for (let n = 1; n <= rows; n += 1) {
    lines.push(`LOCK-${n},First${n},Last${n},+1317${String(4000000 + n)},Midwest`);
  }
  const path = join(root, 'lock.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function expectedContacts(rows: number): Map<string, Record<string, string>> {
  const expected = new Map<string, Record<string, string>>();
  for (let n = 1; n <= rows; n += 1) {
    expected.set(`LOCK-${n}`, { FirstName: `First${n}`, HomePhone: `+1317${4000000 + n}` });
  }
  return expected;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !condition(); waitedMs += 50) {
    if (waitedMs > 60_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('one run folder, two sluice processes', () => {
  it('refuses a resume while another process runs the run, and every row is written once', async () => {
    sandbox = await startSandbox({
      scenario: 'demo',
      overrides: {
        limits: [
          {
            name: 'client.rate',
            scope: 'client',
            requests: 6,
            windowMs: 1000,
            window: 'fixed',
            reported: true,
          },
        ],
      },
    });
    const box = sandbox;
    const org = box.orgs[0]!;
    const listId = newList(box, 'Lock');
    const rows = 600;
    const runsDir = join(root, 'runs');
    const target = ['--api-url', box.url, '--client-id', org.clientId];
    // 30 batches at 6 requests a second: the first process runs for about five seconds.
    const first = sluice([
      'upload',
      '--csv',
      writeCsv(rows),
      '--list',
      listId,
      ...target,
      '--auto-map',
      '--id-column',
      'AccountId',
      '--batch-size',
      '20',
      '--run-dir',
      runsDir,
      '--json',
    ]);
    await waitFor(() => box.inspect.contacts(listId).length >= 40, 'the first upload to start');
    const runId = readdirSync(runsDir)[0]!;
    expect(existsSync(join(runsDir, runId, LOCK_FILE))).toBe(true);

    const second = await sluice(['resume', runId, '--run-dir', runsDir, ...target, '--json']).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Run ${runId} is open in another Sluice process (pid ${first.child.pid})`,
    );

    const result = await first.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(join(runsDir, runId, LOCK_FILE))).toBe(false);
    expectWrittenOnce(box, listId, expectedContacts(rows), () => true);
  });
});
