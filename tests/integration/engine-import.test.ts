import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runImport, type ImportProgress } from '../../core/engine/import-strategy';
import type { SourceRow } from '../../core/engine/types';
import { createClientCredentialsTokenSource } from '../../core/genesys/client-credentials';
import { startSandbox, type Sandbox } from '../../core/sandbox';

const root = mkdtempSync(join(tmpdir(), 'sluice-import-it-'));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function* rows(count: number): AsyncGenerator<SourceRow> {
  for (let n = 1; n <= count; n += 1) {
    if (n === 9) {
      yield { rowNumber: n, ok: false, reason: 'Phone is not a number', data: { Phone: 'abc' } };
      continue;
    }
    yield {
      rowNumber: n,
      ok: true,
      contact: {
        id: `ID-${n}`,
        data: { CustomerId: `ID-${n}`, Phone: `+1317${2000000 + n}`, Name: `N, "${n}"` },
      },
    };
  }
}

describe('bulk import strategy against the sandbox', () => {
  it.each([
    { label: 'with importstatus', minRows: 0 },
    { label: 'without importstatus (size fallback)', minRows: 1_000_000 },
  ])('imports every accepted row once, $label', async ({ minRows }) => {
    sandbox = await startSandbox({
      scenario: 'demo',
      overrides: { importRowsPerSecond: 2000, importStatusMinRows: minRows },
    });
    const org = sandbox.orgs[0];
    if (!org) throw new Error('no org');
    const listId = sandbox.inspect.createContactList(org.id, {
      name: 'Import',
      columnNames: ['CustomerId', 'Phone', 'Name'],
      phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
    }).id;
    const phases: ImportProgress['phase'][] = [];
    const summary = await runImport({
      runId: 'import',
      runDir: join(root, `import-${minRows}`),
      orgName: org.name,
      apiUrl: sandbox.url,
      contactListId: listId,
      tokenSource: createClientCredentialsTokenSource({
        apiUrl: sandbox.url,
        clientId: org.clientId,
        clientSecret: org.clientSecret,
      }),
      source: () => rows(3000),
      contactIdColumn: 'CustomerId',
      pollIntervalMs: 100,
      idlePollsBeforeDone: 3,
      onProgress: (progress) => phases.push(progress.phase),
    });
    expect(summary).toMatchObject({
      strategy: 'import',
      rowsRead: 3000,
      uploaded: 2999,
      rejected: 1,
      failed: 0,
    });
    expect(summary.invariant.holds).toBe(true);
    const stored = sandbox.inspect.contacts(listId);
    expect(stored).toHaveLength(2999);
    expect(stored.find((c) => c.id === 'ID-10')?.data.Name).toBe('N, "10"');
    expect(phases[0]).toBe('preparing');
    expect(phases.at(-1)).toBe('done');
  });
});
