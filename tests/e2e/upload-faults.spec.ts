import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAndStartUpload, mapIntoWebinarList } from './support/start-upload';
import { startHostProcess, type HostProcess } from './support/host-process';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';

// The Sandbox org with faults on POST contacts only (503s, and contacts stored while the
// response is dropped): the run shows the trouble live and still stores every row once.
const faults = {
  faults: {
    status503: 0.3,
    commitThenDrop: 0.25,
    endpoints: ['POST /api/v2/outbound/contactlists/{id}/contacts'],
  },
};

let host: HostProcess;
let folder: string;
let csvPath: string;

test.beforeAll(async () => {
  host = await startHostProcess(['--sandbox-overrides', JSON.stringify(faults)]);
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-faults-e2e-'));
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= 100; index += 1) {
    lines.push(
      `retry${index}@example.com,Lead ${index},Acme,+1317556${String(index).padStart(4, '0')},warm`,
    );
  }
  csvPath = path.join(folder, 'leads.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a run against a failing API shows the retries live and still uploads every row once', async ({
  page,
}) => {
  await page.goto(host.url);
  await mapIntoWebinarList(page, csvPath);
  await page.getByLabel('Contacts per request (max 1,000)').fill('10');
  await checkAndStartUpload(page);

  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 50_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    '100 rows read = 100 uploaded + 0 rejected + 0 failed + 0 skipped',
  );
  await expect(page.getByTestId('run-summary')).toContainText('every row accounted for');
  const incidents = page.getByRole('region', { name: 'Recent batch events' });
  await expect(incidents).toContainText('will retry');

  // On the Sandbox's side: each of the 100 leads held under exactly one contact id, with its
  // values, although batches were stored while their response was dropped (and sent again).
  const sandboxUrl = await sandboxUrlFromOrgsScreen(page);
  const contacts = await storedContacts(sandboxUrl, 'Webinar follow-up');
  expect(contacts.map((contact) => contact.data.Email).sort()).toEqual(
    Array.from({ length: 100 }, (_, index) => `retry${index + 1}@example.com`).sort(),
  );
  expect(new Set(contacts.map((contact) => contact.id)).size).toBe(100);
  for (const contact of contacts) {
    const lead = Number(/^retry(\d+)@/.exec(contact.data.Email ?? '')?.[1]);
    expect(contact.data).toMatchObject({
      FirstName: `Lead ${lead}`,
      WorkPhone: `+1317556${String(lead).padStart(4, '0')}`,
    });
  }
  const counters = (await (await fetch(`${sandboxUrl}/__sandbox/counters`)).json()) as {
    faults: Record<string, number>;
  };
  expect(counters.faults['commit-then-drop'] ?? 0).toBeGreaterThan(0);
  expect(counters.faults['503'] ?? 0).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/screens/upload-with-faults.png', fullPage: true });
});
