import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableId, startSandbox, type Sandbox } from '../../core/sandbox';
import { createConfProfileStore } from '../../core/store';
import { execSluice } from '../support/sluice-cli';

// `sluice prepare --org NAME --list ID`: the list's columns come from a saved org over real HTTP
// (the sandbox), the rest is the same offline preparation.
let sandbox: Sandbox;
let folder: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'demo' });
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-prepare-org-'));
  const now = new Date().toISOString();
  createConfProfileStore(folder).save({
    id: 'local-sandbox',
    name: 'Local sandbox',
    region: 'custom',
    apiUrl: sandbox.url,
    authMethod: 'client-credentials',
    clientId: sandbox.orgs[0]!.clientId,
    createdAt: now,
    updatedAt: now,
  });
  writeFileSync(
    path.join(folder, 'leads.csv'),
    [
      'Email,First Name,Company,Work Phone,Score',
      'a@example.com,Ann,Acme,+13175550101,hot',
      'b@example.com,Bob,Acme,nope,warm',
    ].join('\n'),
  );
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(folder, { recursive: true, force: true });
});

const sluice = (args: string[]) =>
  execSluice(args, {
    cwd: folder,
    env: { SLUICE_DATA_DIR: folder, SLUICE_CLIENT_SECRET: sandbox.orgs[0]!.clientSecret },
  });

/** `sluice prepare` of leads.csv against list `listId` of the saved Sandbox org, auto-mapped. */
const prepareFromList = (listId: string) => [
  'prepare',
  '--csv',
  'leads.csv',
  '--org',
  'Local sandbox',
  '--list',
  listId,
  '--auto-map',
];

describe('sluice prepare --org --list', () => {
  it('reads the list from the org and writes the clean and rejects files', async () => {
    // The demo org's seeded "Webinar follow-up" list (Email, FirstName, Company, WorkPhone, Score).
    const listId = stableId(`${sandbox.orgs[0]!.id}/Webinar follow-up`);
    expect(sandbox.orgs[0]!.contactListIds).toContain(listId);
    const run = await sluice([
      ...prepareFromList(listId),
      ...['--out', 'clean.csv', '--rejects', 'rejects.csv', '--json'],
    ]);
    expect(run.stderr, run.stderr).toBe('');
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ rowsRead: 2, clean: 1, rejected: 1 });
    expect(readFileSync(path.join(folder, 'clean.csv'), 'utf8')).toContain('a@example.com');
  });

  it('names the missing list when the id is wrong', async () => {
    const run = await sluice([
      ...prepareFromList('no-such-list'),
      ...['--out', 'x.csv', '--rejects', 'y.csv'],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/no-such-list/);
  });
});
