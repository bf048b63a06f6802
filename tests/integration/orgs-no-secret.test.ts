import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrgLimiter } from '../../core/engine/throttle/org-limiter';
import { UploadRun } from '../../core/engine/contacts/contacts-run';
import { createFetchTransport } from '../../core/engine/contacts/transport';
import type { SourceRow } from '../../core/engine/types';
import type { TokenSource } from '../../core/genesys/token-source';
import { startSandbox, type Sandbox } from '../../core/sandbox';
import { createServices, dispatch, OrgRegistry } from '../../core/services';
import { createMemorySecretStore } from '../../core/store';

/**
 * A whole session with a known secret — add the org, sign in, test, browse,
 * save a schema, create a list, upload with token expiry (so several tokens are issued) and a
 * rejected row — then every file written under the data folder and everything printed is
 * searched for the secret, its Basic form, and every token. None may appear.
 */
let sandbox: Sandbox;
let dataFolder: string;
beforeAll(async () => {
  sandbox = await startSandbox({
    scenario: 'demo',
    overrides: { faults: { tokenExpiresAfterRequests: 4 } },
  });
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-no-secret-'));
});
afterAll(async () => {
  await sandbox?.stop();
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

function rows(count: number): () => AsyncIterable<SourceRow> {
  return async function* () {
    for (let n = 1; n <= count; n += 1) {
      const long = n === 7;
      yield {
        rowNumber: n,
        ok: true,
        contact: {
          id: `C-${n}`,
          data: {
            CustomerId: `C-${n}`,
            Mobile: `+1317555${String(n).padStart(4, '0')}`,
            Note: long ? 'x'.repeat(600) : 'ok',
          },
        },
      };
    }
  };
}

function filesUnder(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('no secret or token in any written file', () => {
  it('runs a whole session and finds neither the secret nor any token on disk or in output', async () => {
    const org = sandbox.orgs[0]!;
    const secret = org.clientSecret;
    const printed: string[] = [];
    const capture = (stream: NodeJS.WriteStream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        printed.push(String(chunk));
        return true;
      });
    const spies = [capture(process.stdout), capture(process.stderr)];
    const tokens = new Set<string>();
    try {
      const registry = new OrgRegistry({ dataFolder, secretStore: createMemorySecretStore() });
      const services = createServices({
        version: 't',
        dataFolder,
        shell: 'web-host',
        orgs: registry,
      });
      const ok = async <T>(channel: string, payload: unknown): Promise<T> => {
        const result = await dispatch(services, channel, payload);
        printed.push(JSON.stringify(result));
        if (!result.ok) throw new Error(result.error.message);
        return result.value as T;
      };
      await ok('orgs:add', {
        name: 'Known Secret Org',
        region: 'custom',
        apiUrl: sandbox.url,
        authMethod: 'client-credentials',
        clientId: org.clientId,
        clientSecret: secret,
      });
      await ok('orgs:signIn', { id: 'known-secret-org' });
      await ok('orgs:test', { id: 'known-secret-org' });
      await ok('orgs:list', {});
      await ok('lists:search', { orgId: 'known-secret-org' });
      await ok('lists:saveSchema', { orgId: 'known-secret-org', listId: org.contactListIds[0] });
      const list = await ok<{ id: string }>('lists:create', {
        orgId: 'known-secret-org',
        name: 'No secret run',
        columnNames: ['CustomerId', 'Mobile', 'Note'],
        phoneColumns: [{ columnName: 'Mobile', type: 'cell' }],
      });
      // A wrong secret too: its error must not echo it either.
      await dispatch(services, 'orgs:update', {
        id: 'known-secret-org',
        clientSecret: `${secret}-wrong`,
      }).then((r) => printed.push(JSON.stringify(r)));
      printed.push(
        JSON.stringify(await dispatch(services, 'orgs:test', { id: 'known-secret-org' })),
      );
      await ok('orgs:update', { id: 'known-secret-org', clientSecret: secret });

      const connection = await registry.connection('known-secret-org');
      const recording: TokenSource = {
        async getAccessToken() {
          const token = await connection.tokens.getAccessToken();
          tokens.add(token);
          return token;
        },
        invalidate: (token) => connection.tokens.invalidate(token),
      };
      const run = new UploadRun({
        runId: 'no-secret',
        runDir: path.join(dataFolder, 'runs', 'no-secret'),
        orgName: connection.orgLabel,
        contactListId: list.id,
        source: rows(40),
        limiter: new OrgLimiter({
          backoff: { baseDelayMs: 20, maxDelayMs: 100 },
          rateController: { initialRatePerSecond: 50 },
        }),
        tokenSource: recording,
        transport: createFetchTransport({ apiUrl: connection.apiUrl, timeoutMs: 5000 }),
        batchLimits: { maxContacts: 5 },
        retryBackoff: { baseDelayMs: 10, maxDelayMs: 50 },
      });
      run.on((event) => printed.push(JSON.stringify(event)));
      const summary = await run.start();
      printed.push(JSON.stringify(summary));
      expect(summary).toMatchObject({ rowsRead: 40 });
      expect(summary.uploaded).toBe(39);
      registry.signOutAll();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    expect(tokens.size).toBeGreaterThan(1); // the token expired mid-run and was replaced
    const files = filesUnder(dataFolder);
    expect(files.some((file) => file.includes(`${path.sep}runs${path.sep}`))).toBe(true);
    expect(files.some((file) => file.includes(`${path.sep}schemas${path.sep}`))).toBe(true);
    expect(files.some((file) => file.endsWith('org-profiles.json'))).toBe(true);
    const basic = Buffer.from(`${org.clientId}:${secret}`).toString('base64');
    const needles = [secret, basic, ...tokens];
    for (const file of files) {
      const text = fs.readFileSync(file).toString('latin1');
      for (const needle of needles)
        expect(text.includes(needle), `${file} holds a secret or token`).toBe(false);
    }
    const output = printed.join('\n');
    for (const needle of needles)
      expect(output.includes(needle), 'printed output holds a secret or token').toBe(false);
  });
});
