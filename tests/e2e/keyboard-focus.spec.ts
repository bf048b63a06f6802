import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempFolder } from '../support/temp-folder';
import { usPhone, writeContactsCsv } from '../support/webinar-csv';
import { hiddenUploadLimit, sandboxOverridesArgs } from './support/hidden-upload-limit';
import { startHostProcess, type HostProcess } from './support/host-process';
import { checkAndStartUpload, mapIntoWebinarList } from './support/start-upload';
import { sandboxUrlFromOrgsScreen, storedContacts } from './support/sandbox-inspection';
import { answerConfirm } from './support/confirm';

// Two contact uploads a second: the run lasts long enough to pause and resume from the keyboard.
const slow = hiddenUploadLimit({ uploads: 2, windowMs: 1000 });
let host: HostProcess;
let folder: string;
let csvPath: string;

test.beforeAll(async () => {
  host = await startHostProcess(sandboxOverridesArgs(slow));
  folder = tempFolder('sluice-keyboard-e2e-');
  csvPath = writeContactsCsv(path.join(folder, 'keyboard.csv'), {
    rows: 200,
    idPrefix: 'kb',
    phone: (index) => usPhone(7_000_000, index),
    firstName: (index) => `Key ${index}`,
  });
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('keyboard only: the write confirmation takes the focus, Escape closes it, and Enter sends; Pause and Resume keep the focus', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(host.url);
  await mapIntoWebinarList(page, csvPath);
  await page.getByLabel('Contacts per request (max 1,000)').fill('10');
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  await expect(page.getByTestId('file-check')).toBeVisible({ timeout: 60_000 });

  // The confirmation takes the focus when it opens; Escape answers "Not now" and gives the
  // focus back to the button that asked.
  const startButton = page.getByRole('button', { name: 'Start upload…' });
  await startButton.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /^Write to / });
  await expect(dialog).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(startButton).toBeFocused();

  // Opened again, Tab reaches Send first; Tab and Shift+Tab stay inside the question until it is
  // answered (it is a modal dialog: the page behind cannot take the keyboard); Enter on Send starts the run.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeFocused();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  const send = dialog.getByRole('button', { name: 'Send 200 rows' });
  const notNow = dialog.getByRole('button', { name: 'Not now' });
  await page.keyboard.press('Tab');
  await expect(send).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(notNow).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(send).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(notNow).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(send).toBeFocused();
  await page.keyboard.press('Enter');
  const runView = page.getByTestId('run-view');
  await expect(page.getByTestId('run-state')).toHaveText('running');

  // Pause, then Resume, each pressed from the keyboard: the button that replaces the one pressed
  // takes the focus, so the next key press acts on the run, not on the top of the page.
  const pause = runView.getByRole('button', { name: 'Pause' });
  await pause.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  const resume = runView.getByRole('button', { name: 'Resume' });
  await expect(resume).toBeFocused();
  // Paused, the rows read but not sent wait for Resume: they are not "on their way".
  await expect(page.getByTestId('run-summary')).toContainText('waiting for Resume');
  await expect(page.getByTestId('run-summary')).not.toContainText('on their way');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-state')).toHaveText(/running|completed/);
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 });
  await expect(page.getByTestId('run-summary')).toContainText(
    '200 rows read = 200 uploaded + 0 rejected + 0 failed + 0 skipped',
  );

  // The Sandbox holds every row once, paused and resumed or not.
  const contacts = await storedContacts(await sandboxUrlFromOrgsScreen(page), 'Webinar follow-up');
  expect(contacts).toHaveLength(200);
  expect(new Set(contacts.map((contact) => contact.id)).size).toBe(200);
});

test('keyboard only: after Cancel run… the focus is on the summary of the cancelled run, not the top of the page', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const cancelPath = writeContactsCsv(path.join(folder, 'keyboard-cancel.csv'), {
    rows: 200,
    idPrefix: 'kc',
    phone: (index) => usPhone(7_100_000, index),
  });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(host.url);
  await mapIntoWebinarList(page, cancelPath);
  await page.getByLabel('Contacts per request (max 1,000)').fill('10');
  await checkAndStartUpload(page);
  await expect(page.getByTestId('run-state')).toHaveText('running');

  // Cancel run… asks first; once the run is cancelled its controls are gone, and the keyboard
  // is on the summary that says so, with Upload the rest (when the run left rows unsent) and
  // then the way to the failed rows the next Tabs away.
  const cancelRun = page.getByTestId('run-view').getByRole('button', { name: 'Cancel run…' });
  await cancelRun.focus();
  await page.keyboard.press('Enter');
  // The question takes the keyboard; Escape is no, and gives it back to Cancel run…
  const question = page.getByRole('alertdialog', { name: 'Cancel this run?' });
  await expect(question).toBeFocused();
  await expect(question.getByRole('button', { name: 'Keep running' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(cancelRun).toBeFocused();
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.keyboard.press('Enter');
  await answerConfirm(page, 'yes');
  await expect(page.getByTestId('run-state')).toHaveText('cancelled', { timeout: 30_000 });
  const summaryBox = page.getByTestId('run-summary-box');
  await expect(summaryBox).toBeFocused();
  await expect(page.getByTestId('run-summary')).toContainText('every row accounted for');
  if ((await page.getByTestId('run-rest').count()) > 0) {
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Upload the rest…' })).toBeFocused();
  }
  await page.keyboard.press('Tab');
  await expect(
    page.getByRole('link', { name: 'Inspect and retry the rows that did not upload' }),
  ).toBeFocused();

  // The Sandbox holds the rows sent before the cancel, each once, and not all 200.
  const uploaded = Number(
    /= ([\d,]+) uploaded/
      .exec((await page.getByTestId('run-summary').textContent()) ?? '')![1]!
      .replace(/,/g, ''),
  );
  const stored = (
    await storedContacts(await sandboxUrlFromOrgsScreen(page), 'Webinar follow-up')
  ).filter((contact) => contact.data.Email?.startsWith('kc'));
  expect(new Set(stored.map((contact) => contact.id)).size).toBe(stored.length);
  expect(stored.length).toBeGreaterThanOrEqual(uploaded);
  expect(stored.length).toBeLessThan(200);
});

test('keyboard only: adding an org keeps the focus in the form, through a wrong secret, and back on Add an org', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(host.url);
  const sandboxUrl = await sandboxUrlFromOrgsScreen(page);
  const addButton = page.getByRole('button', { name: 'Add an org' });

  // The form opens with the keyboard in its first field; Escape closes it and gives the focus
  // back to the button that opened it.
  await addButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Display name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('form', { name: 'Add an org' })).toHaveCount(0);
  await expect(addButton).toBeFocused();

  // A wrong secret: the org is not added, the error says so, and the keyboard is still on the
  // form's buttons (Add without testing is the next Tab), not at the top of the page.
  await page.keyboard.press('Enter');
  await page.keyboard.type('Acme Sandbox');
  await page.getByLabel('Region').selectOption('custom');
  await page.getByLabel('Base URL').fill(sandboxUrl);
  await page.getByLabel('Client id').fill('sandbox-client');
  await page.getByLabel('Client secret').fill('not-the-secret');
  const submit = page.getByRole('button', { name: 'Test and add org' });
  await submit.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^Not added: the connection test failed\./)).toBeVisible();
  await expect(submit).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add without testing' })).toBeFocused();

  // The right secret: the org is added and signed in, and the focus is back on Add an org.
  await page.getByLabel('Client secret').fill('sandbox-secret');
  await page.getByLabel('Client secret').press('Enter');
  await expect(page.getByTestId('org-acme-sandbox')).toContainText('Signed in');
  await expect(addButton).toBeFocused();
});

test('keyboard only: Correct… takes the keyboard into the row editor, Escape brings it back, and the fix uploads', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Upload', exact: true }).click();
  await page
    .getByLabel('Contact list', { exact: true })
    .selectOption({ label: 'Webinar follow-up' });
  await page.getByRole('button', { name: 'Use a sample file' }).click();
  await page.getByRole('button', { name: 'Read file and match columns' }).click();
  await checkAndStartUpload(page);
  await expect(page.getByTestId('run-state')).toHaveText('completed', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Inspect and retry the rows that did not upload' }).click();
  await expect(page.getByRole('tab', { name: /Rejected/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );

  // The editor opens below the table with the keyboard in its first value; Escape closes it and
  // the keyboard is back on the row's button.
  const correct = page.getByRole('button', { name: 'Correct row 26' });
  await correct.focus();
  await page.keyboard.press('Enter');
  const editor = page.getByRole('region', { name: 'Correct row 26' });
  await expect(editor.getByLabel('Value of E-mail')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(correct).toBeFocused();

  // Opened again, the phone is fixed and saved without the mouse, and the Sandbox gets the row.
  await page.keyboard.press('Enter');
  const phone = editor.getByLabel('Value of Business Phone');
  while (!(await phone.evaluate((input) => input === document.activeElement))) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('+13175558026');
  await editor.getByRole('button', { name: 'Save and send again' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Row 26 passed the checks and is being sent again.')).toBeVisible();
  const sandboxUrl = await sandboxUrlFromOrgsScreen(page);
  await expect
    .poll(async () =>
      (await storedContacts(sandboxUrl, 'Webinar follow-up'))
        .filter((contact) => contact.data.Email === 'donald.25@example.com')
        .map((contact) => contact.data.WorkPhone),
    )
    .toEqual(['+13175558026']);
});
