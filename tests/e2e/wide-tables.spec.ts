import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callHost, startWebinarRun } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';

// History and Orgs at the smallest supported window (1024×700): History's actions all in sight
// without scrolling sideways, and the Orgs table never makes the page itself scroll sideways.
let host: HostProcess;
let folder: string;
let runId: string;

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-wide-tables-e2e-'));
  // A long file name and a five-figure row count: History's widest ordinary row.
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= 12_000; index += 1) {
    const phone = index % 60 === 0 ? 'call me' : `+1317${String(6_000_000 + index)}`;
    lines.push(`wide${index}@example.com,Lead ${index},Acme,${phone},warm`);
  }
  const csvPath = path.join(folder, 'crm-export-march-2026-all-regions-final.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
  ({ runId } = await startWebinarRun(host, csvPath, 1000));
  await expect
    .poll(async () => (await callHost(host, 'runs:get', { runId })).summary.state, {
      timeout: 60_000,
    })
    .toBe('completed');
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('History at 1024×700: every action of a run is in sight without scrolling sideways', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(host.url);
  await page.getByRole('link', { name: 'History', exact: true }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  const row = table.getByRole('row').nth(1);
  // The row counts read as the accounting, every count labelled (12,000 / 60 rejected).
  const headers = await table.getByRole('columnheader').allTextContents();
  expect(headers).toEqual(['Started · file', 'List · org', 'State', 'Rows', 'Pace', 'Actions']);
  const rows = row.getByRole('cell').nth(headers.indexOf('Rows'));
  await expect(rows).toContainText(
    '12,000 read = 11,800 uploaded + 200 rejected + 0 failed + 0 skipped',
  );
  await expect(rows).toContainText('✓ holds');
  // Neither the page nor the table's own box scrolls sideways.
  const overflow = await table.evaluate((element) => ({
    page: document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
    box: element.parentElement!.scrollWidth - element.parentElement!.clientWidth,
  }));
  expect(overflow).toEqual({ page: 0, box: 0 });
  // Every action of the run, as it is: on screen in full, and the topmost thing at its centre.
  const actions = row.getByRole('cell').nth(headers.indexOf('Actions'));
  const controls = actions.locator('a, button');
  const names = await controls.allTextContents();
  expect(names).toEqual(['Open', 'Report', 'Remove…', 'Failures']);
  for (let index = 0; index < names.length; index += 1) {
    const control = controls.nth(index);
    await expect(control, names[index]).toBeInViewport({ ratio: 1 });
    const box = (await control.boundingBox())!;
    expect(box.x + box.width, names[index]).toBeLessThanOrEqual(1024);
    expect(
      await control.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        const top = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
        return top === element || element.contains(top);
      }),
      `${names[index]} is under something`,
    ).toBe(true);
  }
  // And no cell runs into the next one.
  const boxes = await row.evaluate((element) =>
    [...element.querySelectorAll('td')].map((cell) => {
      const box = cell.getBoundingClientRect();
      return { left: box.left, right: box.right };
    }),
  );
  for (let index = 1; index < boxes.length; index += 1) {
    expect(boxes[index - 1]!.right).toBeLessThanOrEqual(boxes[index]!.left + 0.5);
  }
  await page.screenshot({ path: 'test-results/wide-tables/history-1024.png' });

  // What History shows is what the Sandbox holds.
  const stored = await storedContacts(await sandboxUrlFromOrgsScreen(page), 'Webinar follow-up');
  expect(stored.filter((contact) => contact.data.Email?.startsWith('wide'))).toHaveLength(11_800);
});

test('Orgs at 1024×700 with a dozen orgs: the page does not scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(host.url);
  const sandboxUrl = await sandboxUrlFromOrgsScreen(page);
  for (let index = 1; index <= 12; index += 1) {
    await callHost(host, 'orgs:add', {
      name: `Customer ${index} production`,
      region: 'custom',
      apiUrl: sandboxUrl,
      authMethod: 'client-credentials',
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
    });
  }
  await page.reload();
  await expect(page.getByTestId('orgs-table').getByRole('row')).toHaveCount(14);
  // Enough orgs for a vertical scrollbar, which takes its width from the page's.
  const root = await page.evaluate(() => {
    const root = document.scrollingElement!;
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      scrollHeight: root.scrollHeight,
      clientHeight: root.clientHeight,
    };
  });
  expect(root.scrollHeight).toBeGreaterThan(root.clientHeight);
  expect(root.scrollWidth).toBeLessThanOrEqual(root.clientWidth);
  // And no cell sits under the sticky Actions column.
  const boxes = await page.getByTestId('org-sandbox').evaluate((row) =>
    [...row.querySelectorAll('td')].map((cell) => {
      const box = cell.getBoundingClientRect();
      return { left: box.left, right: box.right };
    }),
  );
  const actions = boxes.at(-1)!;
  for (const cell of boxes.slice(0, -1)) expect(cell.right).toBeLessThanOrEqual(actions.left);
  await expect(
    page.getByTestId('org-sandbox').getByRole('button', { name: 'Test connection' }),
  ).toBeInViewport({ ratio: 1 });
});
