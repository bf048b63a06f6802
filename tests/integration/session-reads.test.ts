import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { autoMapping, readContactListSchema } from '../../core/csv';
import { RunManager } from '../../core/engine/run/run-manager';
import { openRunSession } from '../../core/engine/run/run-session';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { orgTokenSource } from '../support/sandbox-sdk';

const root = mkdtempSync(join(tmpdir(), 'sluice-session-reads-'));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLUMNS = ['CustomerId', 'Phone', 'Name'];

// A run's session reads the list and the org's limits through the org's limiter before its
// first upload (run-session.ts; docs/ARCHITECTURE.md, "The throttle"): the Sandbox sees those
// reads first, each answered, then the uploads.
describe('openRunSession', () => {
  it('reads the list, then the limits, then uploads, all on the org limiter', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const org = sandbox.orgs[0]!;
    const listId = sandbox.inspect.createContactList(org.id, {
      name: 'Session reads',
      columnNames: COLUMNS,
      phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
    }).id;
    const csvPath = join(root, 'contacts.csv');
    const lines = ['CustomerId,Phone,Name'];
    for (let n = 1; n <= 30; n += 1) lines.push(`C${n},+1317${2000000 + n},Name ${n}`);
    writeFileSync(csvPath, `${lines.join('\n')}\n`);
    const schema = readContactListSchema({
      id: listId,
      name: 'Session reads',
      columnNames: COLUMNS,
      phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
    });
    const manager = new RunManager(join(root, 'runs'));
    const meta = {
      runId: 'reads',
      createdAt: new Date().toISOString(),
      orgName: org.name,
      orgKey: 'sandbox',
      apiUrl: sandbox.url,
      clientId: '',
      contactListId: listId,
      strategy: 'contacts' as const,
      csvPath,
      mapping: autoMapping(COLUMNS, schema),
      batchSize: 10,
      headroom: 0.1,
    };
    manager.writeMeta(meta);
    const run = await openRunSession(
      manager,
      meta,
      { apiUrl: sandbox.url, tokenSource: orgTokenSource(sandbox) },
      'upload',
    );
    expect(await run.start()).toMatchObject({ uploaded: 30 });
    const api = sandbox.inspect
      .requests()
      .filter((entry) => entry.path.startsWith('/api/v2/'))
      .map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
    expect(api.slice(0, 2)).toEqual([
      `GET /api/v2/outbound/contactlists/${listId} 200`,
      'GET /api/v2/organizations/limits/namespaces/platform.api 200',
    ]);
    expect(api.slice(2).every((line) => line.startsWith('POST '))).toBe(true);
    expect(api.slice(2)).toHaveLength(3);
  });
});
