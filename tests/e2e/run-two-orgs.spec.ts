import { expect, test, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../support/temp-folder';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';
import { callHost, sandboxContacts, webinarListId } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { hiddenUploadLimit, sandboxOverridesArgs } from './support/hidden-upload-limit';
import { checkAndStartUpload } from './support/start-upload';

// Two tenants in the Sandbox: the built-in org and "Acme EU", each with a hidden layer of 2
// contact uploads per 2 s (per org), so both runs last long enough to be live side by side.
const twoTenants = hiddenUploadLimit({
  uploads: 2,
  windowMs: 2000,
  reportedPerClient: true,
  orgs: [
    { name: 'Sandbox', clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
    { name: 'Acme EU', clientId: 'acme-client', clientSecret: 'acme-secret' },
  ],
});

const ROWS = 4000;
let host: HostProcess;
let folder: string;

function writeCsv(prefix: string): string {
  return writeContactsCsv(path.join(folder, `${prefix}.csv`), {
    rows: ROWS,
    idPrefix: prefix,
    phone: (index) => usPhone(6_000_000, index),
    firstName: (index) => `${prefix} ${index}`,
  });
}

async function startUpload(
  page: Page,
  org: string,
  csvPath: string,
  mappingName: { save?: string; suggested?: string } = {},
) {
  await page.getByRole('link', { name: 'Upload', exact: true }).click();
  await page.getByLabel('Org').selectOption({ label: org });
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByLabel('CSV file').fill(csvPath);
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  if (mappingName.suggested) {
    // A mapping saved for the same list columns, reading only headers this file has, is offered.
    await page.getByRole('button', { name: `Use “${mappingName.suggested}”` }).click();
    await expect(page.getByLabel('Contact id')).toHaveValue('column:Email');
  } else {
    await page
      .getByLabel('Contact id')
      .selectOption({ label: 'Column Email (unique per contact)' });
  }
  if (mappingName.save) {
    await page.getByLabel('Template name').fill(mappingName.save);
    await page.getByRole('button', { name: 'Save mapping' }).click();
  }
  // 100 per request: 40 requests per run at the hidden 1/s, so the two runs overlap.
  await page.getByLabel('Contacts per request (max 1,000)').fill('100');
  await checkAndStartUpload(page);
}

test.beforeAll(async () => {
  host = await startHostProcess(sandboxOverridesArgs(twoTenants));
  folder = tempFolder('sluice-two-orgs-e2e-');
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('two orgs upload at once from the UI, each run in its own view', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const sandbox = (await callHost(host, 'orgs:list', {})).find((org) => org.id === 'sandbox')!;

  // Add the second tenant; it is tested before it is kept.
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Add an org' }).click();
  await page.getByLabel('Display name').fill('Acme EU');
  await page.getByLabel('Region').selectOption('custom');
  await page.getByLabel('Base URL').fill(sandbox.apiUrl);
  await page.getByLabel('Client id').fill('acme-client');
  await page.getByLabel('Client secret').fill('acme-secret');
  await page.getByRole('button', { name: 'Test and add org' }).click();
  await expect(page.getByTestId('org-acme-eu')).toBeVisible();

  await startUpload(page, 'Sandbox', writeCsv('home'), { save: 'CRM webinar export' });
  await page.getByRole('button', { name: 'Start another upload' }).click();
  await startUpload(page, 'Acme EU', writeCsv('acme'), { suggested: 'CRM webinar export' });

  const live = page.getByRole('region', { name: 'Live runs' }).getByRole('link');
  await expect(live).toHaveCount(2);
  await page.screenshot({ path: 'test-results/run-two-orgs/01-both-live.png', fullPage: true });
  const hrefs = await live.evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
  const orgOf = new Map<string, string>();
  for (const href of hrefs) {
    await page.goto(`${host.origin}/${href}`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toContainText(/on (Sandbox|Acme EU)/);
    orgOf.set(href, (await heading.textContent())!.includes('Acme EU') ? 'Acme EU' : 'Sandbox');
  }
  expect(new Set(orgOf.values())).toEqual(new Set(['Sandbox', 'Acme EU']));

  for (const href of hrefs) {
    await page.goto(`${host.origin}/${href}`);
    await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 120_000 });
    await expect(page.getByTestId('run-summary')).toContainText(
      `${ROWS.toLocaleString('en-US')} rows read = ${ROWS.toLocaleString('en-US')} uploaded`,
    );
    await page.screenshot({
      path: `test-results/run-two-orgs/02-${orgOf.get(href) === 'Acme EU' ? 'acme' : 'sandbox'}-done.png`,
      fullPage: true,
    });
  }

  // Each tenant's list holds its own file's contacts, once each, and none of the other's.
  const orgs = await callHost(host, 'orgs:list', {});
  for (const [orgName, prefix, other] of [
    ['Sandbox', 'home', 'acme'],
    ['Acme EU', 'acme', 'home'],
  ] as const) {
    const org = orgs.find((entry) => entry.name === orgName)!;
    const stored = await sandboxContacts(host, await webinarListId(host, org.id));
    const ids = stored.map((contact) => contact.id);
    expect(ids.filter((id) => id.startsWith(prefix)).length).toBe(ROWS);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => id.startsWith(other))).toBe(false);
  }
});
