import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callHost } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';

// Every screen at the smallest supported window (1024×700) and a common one (1440×900), light
// and dark, with real content (a finished run with rejected rows, a saved schema, a checked
// file). Screenshots go to test-results/screens/ for a person to look at; the test itself
// checks what a consultant would call broken: a screen that goes blank on an error, the page
// scrolling sideways, the confirmation's Send button out of sight.
const sizes = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;
const themes = ['light', 'dark'] as const;

let host: HostProcess;
let folder: string;
let csvPath: string;
let runId: string;

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-screens-e2e-'));
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= 400; index += 1) {
    const phone = index % 40 === 0 ? 'call me' : `+1317${String(6_000_000 + index)}`;
    const company = index === 7 ? '=HYPERLINK("http://example.com")' : 'Acme Corporation';
    lines.push(`look${index}@example.com,Lead ${index},${company},${phone},warm`);
  }
  lines.push(',No Contact,Acme,,warm');
  csvPath = path.join(folder, 'crm-export-with-a-long-name.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
  const lists = await callHost(host, 'lists:search', {
    orgId: 'sandbox',
    name: 'Webinar',
    pageNumber: 1,
    pageSize: 25,
    sortOrder: 'ascending',
  });
  const listId = lists.entities[0]!.id;
  await callHost(host, 'lists:saveSchema', { orgId: 'sandbox', listId, overwrite: true });
  const inspection = await callHost(host, 'csv:inspect', { path: csvPath });
  const matched = await callHost(host, 'csv:autoMatch', {
    headers: inspection.headers,
    source: { kind: 'list', orgId: 'sandbox', listId },
  });
  ({ runId } = await callHost(host, 'runs:start', {
    orgId: 'sandbox',
    listId,
    csvPath,
    mapping: { ...matched.mapping, contactId: { kind: 'column', column: 'FirstName' } },
    strategy: 'contacts',
    headroomPercent: 10,
    batchSize: 50,
  }));
  await expect
    .poll(
      async () => {
        const { summary } = await callHost(host, 'runs:get', { runId });
        return `${summary.state} ${summary.stateReason ?? ''}`.trim();
      },
      {
        timeout: 60_000,
      },
    )
    .toBe('completed');
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function look(page: Page, name: string, size: (typeof sizes)[number], theme: string) {
  await page.waitForTimeout(300); // lets the 250 ms store notification and charts settle
  const sideways = await page.evaluate(
    () => document.scrollingElement!.scrollWidth - window.innerWidth,
  );
  await page.screenshot({
    path: `test-results/screens/${size.width}x${size.height}-${theme}-${name}.png`,
  });
  expect(sideways, `${name} at ${size.width}×${size.height} scrolls sideways`).toBeLessThanOrEqual(
    0,
  );
}

for (const size of sizes) {
  for (const theme of themes) {
    test(`every screen at ${size.width}×${size.height}, ${theme}`, async ({ page }) => {
      test.setTimeout(120_000);
      // A screen that throws goes blank: no screen may.
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.emulateMedia({ colorScheme: theme });
      await page.addInitScript(() => localStorage.removeItem('sluice-theme'));
      await page.setViewportSize(size);
      await page.goto(host.url);
      await look(page, '0-first', size, theme);
      await page.getByRole('link', { name: 'Orgs', exact: true }).click();
      await look(page, '1-orgs', size, theme);
      await page.getByRole('link', { name: 'Contact lists', exact: true }).click();
      await page.waitForTimeout(500);
      await look(page, '2-lists', size, theme);
      await page.getByRole('link', { name: 'Prepare CSV', exact: true }).click();
      await page.getByLabel('Saved schemas').selectOption({ index: 1 });
      await look(page, '3-prepare', size, theme);
      await page.getByRole('link', { name: 'Upload', exact: true }).click();
      await page
        .getByLabel('Contact list', { exact: true })
        .selectOption({ label: 'Webinar follow-up' });
      await page.getByLabel('CSV file').fill(csvPath);
      await page.getByRole('button', { name: 'Read file and match columns' }).click();
      await page
        .getByLabel('Contact id')
        .selectOption({ label: 'Column Email (unique per contact)' });
      await look(page, '4-upload-mapped', size, theme);
      await page.getByRole('button', { name: 'Check the whole file' }).click();
      const check = page.getByTestId('file-check');
      await expect(check).toBeVisible({ timeout: 30_000 });
      // Row 8's Company is a formula: sent, with a warning, and shown among the rows to look at.
      await expect(check).toContainText('1 of the rows to send has a warning');
      await expect(
        page
          .getByRole('table', { name: 'Rows to look at' })
          .getByRole('row', { name: /^8 Warning/ }),
      ).toContainText('Excel would run it');
      await page.getByTestId('file-check').scrollIntoViewIfNeeded();
      await look(page, '5-upload-checked', size, theme);
      await page.getByRole('button', { name: 'Start upload…' }).click();
      // The question comes into sight with its Send button, not under the status bar.
      const send = page.getByRole('dialog').getByRole('button', { name: /^Send/ });
      await expect(send).toBeInViewport();
      expect(
        await send.evaluate((button) => {
          const box = button.getBoundingClientRect();
          const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
          return top === button || button.contains(top);
        }),
      ).toBe(true);
      await look(page, '6-upload-confirm', size, theme);
      await page.evaluate((id) => (window.location.hash = `#/failures?run=${id}`), runId);
      await page.waitForTimeout(800);
      await look(page, '7-failures', size, theme);
      await page.getByRole('link', { name: 'History', exact: true }).click();
      await page.waitForTimeout(500);
      await look(page, '8-history', size, theme);
      await page.evaluate((id) => (window.location.hash = `#/runs/${id}`), runId);
      await page.waitForTimeout(800);
      await look(page, '9-run-view', size, theme);
      expect(pageErrors).toEqual([]);
    });
  }
}
