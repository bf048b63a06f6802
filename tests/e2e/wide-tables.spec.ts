import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callHost, startWebinarRun } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';

// History and Orgs at the smallest supported window (1024×700): no cell hidden under History's
// sticky Actions column, and the Orgs table never makes the page itself scroll sideways.
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

test('History at 1024×700: the Actions column covers no cell, Failed included', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(host.url);
  await page.getByRole('link', { name: 'History', exact: true }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  const row = table.getByRole('row').nth(1);
  await expect(row).toContainText('200'); // 12,000 / 60 rejected
  const boxes = await table.evaluate((element) => {
    const cells = [...element.querySelectorAll('tr')[1]!.querySelectorAll('td')];
    const heads = [...element.querySelectorAll('th')].map((th) => th.textContent);
    return cells.map((cell, index) => {
      const box = cell.getBoundingClientRect();
      return { name: heads[index], left: box.left, right: box.right };
    });
  });
  const actions = boxes.at(-1)!;
  const failed = boxes.find((cell) => cell.name === 'Failed')!;
  expect(actions.name).toBe('Actions');
  expect(failed.right, 'Failed runs under Actions').toBeLessThanOrEqual(actions.left);
  for (const cell of boxes.slice(0, -1)) {
    expect(cell.right, `${cell.name} runs under Actions`).toBeLessThanOrEqual(actions.left);
  }
  // Failed reads in full without scrolling; the page itself does not scroll sideways, and the
  // actions are reached by scrolling the table's own box.
  expect(failed.right).toBeLessThanOrEqual(1024);
  expect(
    await page.evaluate(
      () => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
    ),
  ).toBeLessThanOrEqual(0);
  const open = table.getByRole('link', { name: `Open run ${runId}` });
  await open.scrollIntoViewIfNeeded();
  await expect(open).toBeInViewport({ ratio: 1 });

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
