import { expect, type Page } from '@playwright/test';

/** A contact as the Sandbox holds it (the fields these tests read). */
export interface SandboxContact {
  id: string;
  data: Record<string, string>;
}

/**
 * The base URL of the host's built-in Sandbox org, read where a consultant sees it (the Orgs
 * screen), so e2e tests can check what the Sandbox stored through its loopback inspection routes
 * (core/sandbox/inspection.ts).
 */
export async function sandboxUrlFromOrgsScreen(page: Page): Promise<string> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Orgs', exact: true })
    .click();
  const row = page.getByTestId('org-sandbox');
  await expect(row).toContainText(/http:\/\/127\.0\.0\.1:\d+/);
  const match = /http:\/\/127\.0\.0\.1:\d+/.exec((await row.textContent()) ?? '');
  return match![0];
}

/** Every contact the Sandbox holds in the list named `listName` (first org). */
export async function storedContacts(
  sandboxUrl: string,
  listName: string,
): Promise<SandboxContact[]> {
  const config = (await (await fetch(`${sandboxUrl}/__sandbox/config`)).json()) as {
    orgs: Array<{ lists: Array<{ id: string; name: string }> }>;
  };
  const list = config.orgs[0]?.lists.find((candidate) => candidate.name === listName);
  if (!list) throw new Error(`The Sandbox has no list named "${listName}".`);
  const response = await fetch(`${sandboxUrl}/__sandbox/contacts/${list.id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxContact[];
}
