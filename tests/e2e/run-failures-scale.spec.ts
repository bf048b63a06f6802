import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callHost, startWebinarRun } from './support/host-api';
import { startHostProcess, type HostProcess } from './support/host-process';
import { describeLongTasks, takeLongTasks, watchLongTasks } from './support/long-tasks';
import { watchRowsTraffic } from './support/rows-over-ipc';

// The Failures table with 100,000 rows: every row of the file has a phone nobody can call, so
// the run rejects them all locally. The table is virtualised and reads the rows in sight a page
// at a time, the host filters: what crosses the page's socket is counted and asserted. Long
// tasks while scrolling are measured and reported (not asserted: wall-clock numbers belong to
// benchmarks; tests/bench/failures.bench.ts times the host's side).
const ROWS = 100_000;
let host: HostProcess;
let folder: string;

test.beforeAll(async () => {
  host = await startHostProcess();
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-failures-scale-'));
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('100,000 rejected rows load, filter and scroll in the Failures table', async ({ page }) => {
  test.setTimeout(240_000);
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= ROWS; index += 1) {
    lines.push(
      `bulk${index}@example.com,Lead ${index},Acme,${index % 10 === 0 ? 'n/a' : 'call me'},warm`,
    );
  }
  const csvPath = path.join(folder, 'all-bad.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);
  const { runId } = await startWebinarRun(host, csvPath, 1000);
  await expect
    .poll(async () => (await callHost(host, 'runs:get', { runId })).summary.state, {
      timeout: 120_000,
    })
    .toBe('completed');

  await page.setViewportSize({ width: 1024, height: 700 });
  await watchLongTasks(page);
  const traffic = watchRowsTraffic(page);
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Failures', exact: true }).click();
  await expect(page.getByText(`${ROWS.toLocaleString('en-US')} rejected rows.`)).toBeVisible({
    timeout: 120_000,
  });
  const table = page.getByRole('table', { name: 'Rows' });
  // Only the rows in sight are in the page, and only their page crossed from the host.
  expect(await table.locator('tbody tr').count()).toBeLessThan(80);
  await expect(table).toContainText('First Name: Lead 1 ·');
  const opening = traffic.take();
  expect(opening.rows).toBeGreaterThan(0);
  expect(opening.rows).toBeLessThanOrEqual(400);
  await takeLongTasks(page);

  const scroller = page.locator('.rows-scroll');
  for (let step = 1; step <= 20; step += 1) {
    await scroller.evaluate((element, fraction) => {
      element.scrollTop = element.scrollHeight * fraction;
    }, step / 20);
    await page.waitForTimeout(50);
  }
  await expect(table).toContainText('100,001');
  // Twenty stops down the table read the pages at those stops, not the rows in between.
  expect(traffic.take().rows).toBeLessThan(ROWS / 10);
  const scrolling = await takeLongTasks(page);
  console.log(
    `Failures table, 100,000 rows, scrolling top to bottom: ${describeLongTasks(scrolling)}`,
  );
  test.info().annotations.push({
    type: 'long tasks while scrolling',
    description: describeLongTasks(scrolling),
  });
  await page.screenshot({ path: 'test-results/run-failures-scale/scrolled-1024x700.png' });

  await page.getByLabel('Reason or value contains').fill("'n/a'");
  await expect(page.getByText('10,000 match the filter')).toBeVisible();
  await expect(table).toContainText('100,001');
  const bodyTexts = await table.locator('tbody tr[aria-rowindex]').allInnerTexts();
  expect(bodyTexts.length).toBeGreaterThan(0);
  for (const text of bodyTexts) expect(text).toContain('n/a');
  // The host filtered: the page sent the filter and got back pages of matches, not the run.
  const filtering = traffic.take();
  expect(filtering.filterTexts).toContain("'n/a'");
  expect(filtering.rows).toBeGreaterThan(0);
  expect(filtering.rows).toBeLessThanOrEqual(1000);
  await page.screenshot({ path: 'test-results/run-failures-scale/filtered-1024x700.png' });

  // "Choose every row" chooses the 10,000 matches, though only a page of them was ever shown.
  const everyRow = page.getByLabel('Choose every row in the list');
  await everyRow.check();
  await expect(page.getByRole('button', { name: 'Skip 10,000 chosen rows…' })).toBeVisible();
  await expect(everyRow).toBeChecked();
  const choosing = traffic.take();
  expect(choosing.rows).toBe(10_000);
  expect(new Set(choosing.filterTexts)).toEqual(new Set(["'n/a'"]));
});
