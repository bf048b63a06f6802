import { expect, test } from '@playwright/test';
import { startHostProcess, type HostProcess } from './support/host-process';

const screens = [
  { id: 'orgs', label: 'Orgs' },
  { id: 'lists', label: 'Contact lists' },
  { id: 'prepare', label: 'Prepare CSV' },
  { id: 'upload', label: 'Upload' },
  { id: 'failures', label: 'Failures' },
  { id: 'history', label: 'History' },
];

let host: HostProcess;
test.beforeAll(async () => {
  host = await startHostProcess();
});
test.afterAll(async () => {
  await host?.stop();
});

test('every screen is reachable from the navigation and shows app info', async ({ page }) => {
  await page.goto(host.url);
  // The token leaves the address bar once read.
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByTestId('app-info')).toContainText('web host');
  await expect(page.getByTestId('app-info')).toContainText(host.dataFolder);
  for (const screen of screens) {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: screen.label })
      .click();
    await expect(page).toHaveURL(new RegExp(`#/${screen.id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen.label);
    await page.screenshot({ path: `test-results/screens/${screen.id}.png`, fullPage: true });
  }
});

test('the Orgs screen lists the built-in Sandbox org from the services', async ({ page }) => {
  await page.goto(host.url);
  const sandboxRow = page.getByTestId('org-sandbox');
  await expect(sandboxRow.getByRole('cell').first()).toContainText('Sandbox');
  // Built in: it runs on this machine's loopback and cannot be edited or removed.
  await expect(sandboxRow).toContainText(/http:\/\/127\.0\.0\.1:\d+/);
  await expect(sandboxRow.getByRole('button', { name: 'Remove…' })).toHaveCount(0);
});

test('keyboard: Alt+digit switches screens and focus lands on the heading', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('app-info')).toBeVisible();
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Upload');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  // Tab from the heading moves into the screen's first control, not back to the navigation.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Org', { exact: true })).toBeFocused();
});

test('the dark theme applies and is remembered after a reload', async ({ page }) => {
  await page.goto(host.url);
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  await page.getByRole('button', { name: /theme/ }).click();
  const after = await html.getAttribute('data-theme');
  expect(after).not.toBe(before);
  await page.screenshot({ path: `test-results/screens/theme-${after}.png` });
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', after!);
});

test('a page without the token cannot reach the services and says what to do', async ({ page }) => {
  await page.goto(host.origin);
  await expect(page.getByRole('alert')).toContainText('#token=');
});
