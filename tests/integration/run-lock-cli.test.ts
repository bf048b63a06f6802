import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LOCK_FILE } from '../../core/engine/run/run-lock';
import { expectWrittenOnce } from '../support/exactly-once';
import { sluiceCliHarness } from '../support/sluice-cli-harness';
import { clientRateLimit, newList } from '../support/upload-fixtures';

// Two real `sluice` processes on one run folder: the second refuses while the first runs it,
// so no row is sent by both (the Sandbox's write counts show it).
const cli = sluiceCliHarness('sluice-run-lock-cli-');
const { root } = cli;

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

describe('one run folder, two sluice processes', () => {
  it('refuses a resume while another process runs the run, and every row is written once', async () => {
    const box = await cli.startSandbox({ scenario: 'demo', overrides: clientRateLimit(6) });
    const listId = newList(box, 'Lock');
    const rows = 600;
    const runsDir = join(root, 'runs');
    // 30 batches at 6 requests a second: the first process runs for about five seconds.
    const first = cli.spawn(
      cli.uploadArgs(writeCsv(rows), listId, runsDir, ['--batch-size', '20']),
    );
    // The first upload has started once the Sandbox holds its first two batches.
    await vi.waitFor(() => expect(box.inspect.contacts(listId).length).toBeGreaterThanOrEqual(40), {
      timeout: 60_000,
      interval: 50,
    });
    const runId = readdirSync(runsDir)[0]!;
    expect(existsSync(join(runsDir, runId, LOCK_FILE))).toBe(true);

    const resume = ['resume', runId, '--run-dir', runsDir, ...cli.target(), '--json'];
    const second = await cli.spawn(resume).done;
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
