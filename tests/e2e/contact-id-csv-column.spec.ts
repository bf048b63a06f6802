import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAndStartUpload, readIntoWebinarList } from './support/start-upload';
import { startHostProcess, type HostProcess } from './support/host-process';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';

// A CRM export whose "CRM ID" column the Sandbox's "Webinar follow-up" list has no column for.
// Ann and Bob share their company's switchboard number: with the default contact id (a hash of
// the phone column) they would be one contact; with the CRM id they are two. The last row has
// no CRM id (past the ten rows the suggestion looks at) and is rejected as a contact-id row.

let host: HostProcess;
let folder: string;
let csvPath: string;
const SWITCHBOARD = '+13175550100';

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-contact-id-e2e-'));
  const lines = ['CRM ID,Email,First Name,Company,Work Phone,Score'];
  lines.push(`CRM-1001,ann@acme.example,Ann,Acme,${SWITCHBOARD},hot`);
  lines.push(`CRM-1002,bob@acme.example,Bob,Acme,${SWITCHBOARD},warm`);
  for (let index = 3; index <= 11; index += 1) {
    const number = String(1000 + index);
    lines.push(`CRM-${number},lead${index}@example.com,Lead ${index},Beta,+1317555${number},hot`);
  }
  lines.push(`,nobody@example.com,Nobody,Gamma,+13175552000,warm`);
  csvPath = path.join(folder, 'crm-export.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a CRM id column the list does not have becomes the contact id: people sharing a phone stay two contacts', async ({
  page,
}) => {
  await page.goto(host.url);
  await readIntoWebinarList(page, csvPath);
  await expect(page.getByLabel('CSV column for WorkPhone')).toHaveValue('Work Phone');

  // The default id is a hash of the phone column: the check says why Bob's row would be lost.
  const contactId = page.getByLabel('Contact id');
  await expect(contactId.locator('option:checked')).toHaveText('Stable hash of WorkPhone');
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  const check = page.getByTestId('file-check');
  await expect(check).toContainText('12 rows in the file: 11 ready to send, 1 will be rejected.');
  await expect(page.getByRole('table', { name: 'Problems by rule' })).toContainText(
    'Same phone number(s) as an earlier row: the contact id is made from the phone columns, so these rows would be one contact. Choose a CRM id column as Contact id to keep them apart',
  );
  await expect(page.getByRole('table', { name: 'Rows to look at' })).toContainText(
    'Row 3: repeats the contact id of an earlier row (keeping the first): the rows have the same phone number(s) (WorkPhone)',
  );

  // "CRM ID" is mapped to no list column, yet it is offered, and suggested as the contact id.
  await expect(contactId.locator('option', { hasText: 'CSV column CRM ID' })).toHaveCount(1);
  const suggestion = page.getByTestId('contact-id-suggestion');
  await expect(suggestion).toContainText(
    'The CSV column “CRM ID” looks like an id, and its values are filled and unique in the first 10 rows',
  );
  await suggestion.getByRole('button', { name: 'Use “CRM ID” as Contact id' }).click();
  await expect(contactId.locator('option:checked')).toHaveText('CSV column CRM ID');
  await expect(suggestion).toHaveCount(0);

  await page.getByRole('button', { name: 'Preview with this mapping' }).click();
  await checkAndStartUpload(page);
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 45_000 });
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText(
    '12 rows read = 11 uploaded + 1 rejected + 0 failed + 0 skipped',
  );
  await expect(summary).toContainText('every row accounted for');

  // The reconciliation names the CSV column the ids came from.
  const out = path.join(folder, 'reconciliation.csv');
  await page.getByLabel(/Export reconciliation/).fill(out);
  await page.getByRole('button', { name: 'Export reconciliation' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Wrote 12 rows to / })).toContainText(
    'Contact ids: the value of the CSV column “CRM ID” (not a list column)',
  );
  const lines = readFileSync(out, 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines).toHaveLength(13);
  expect(lines[1]).toMatch(/^2,CRM-1001,CRM-1001,uploaded,/);
  expect(lines[12]).toMatch(/^13,,,rejected,.*the CSV column “CRM ID” is empty/);

  // On the Sandbox: the stored ids are the CRM ids, Ann and Bob are two contacts with the same
  // phone, each written once, and the row without a CRM id is not there.
  const sandboxUrl = await sandboxUrlFromOrgsScreen(page);
  const stored = await storedContacts(sandboxUrl, 'Webinar follow-up');
  const expectedIds = Array.from({ length: 11 }, (_value, index) => `CRM-${1001 + index}`);
  expect(stored.map((contact) => contact.id).sort()).toEqual(expectedIds);
  const sharing = stored.filter((contact) => contact.data.WorkPhone === SWITCHBOARD);
  expect(sharing.map((contact) => [contact.id, contact.data.Email]).sort()).toEqual([
    ['CRM-1001', 'ann@acme.example'],
    ['CRM-1002', 'bob@acme.example'],
  ]);
  // The CRM id is the contact's id, not a column added to the list.
  expect(Object.keys(stored[0]!.data)).not.toContain('CRM ID');
  expect(stored.map((contact) => contact.data.Email)).not.toContain('nobody@example.com');
  const config = (await (await fetch(`${sandboxUrl}/__sandbox/config`)).json()) as {
    orgs: Array<{ lists: Array<{ id: string; name: string }> }>;
  };
  const listId = config.orgs[0]!.lists.find((list) => list.name === 'Webinar follow-up')!.id;
  const writes = (await (
    await fetch(`${sandboxUrl}/__sandbox/contacts/${listId}/writes`)
  ).json()) as Array<{
    id: string;
    writes: number;
  }>;
  expect(writes.map((record) => [record.id, record.writes]).sort()).toEqual(
    expectedIds.map((id) => [id, 1]),
  );
});
