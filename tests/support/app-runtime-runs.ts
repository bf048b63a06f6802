import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from '../../core/contract';
import type { ContactIdRule } from '../../core/csv/mapping';
import type { AppRuntime } from '../../core/services/app-runtime';

/**
 * Helpers for tests that drive the app's runs:* services through a started AppRuntime (the
 * runtime the desktop app and the web host start, with its built-in Sandbox org).
 */

/** The id of the built-in Sandbox org's demo "Webinar" list, found the way the app finds it. */
export async function webinarListId(runtime: AppRuntime): Promise<string> {
  const page = await runtime.services['lists:search']({
    orgId: 'sandbox',
    name: 'Webinar',
    pageNumber: 1,
    pageSize: 25,
    sortOrder: 'ascending',
  });
  const list = page.entities[0];
  if (!list) throw new Error('The built-in Sandbox org has no "Webinar" list.');
  return list.id;
}

/**
 * The mapping the app proposes for `csvPath` into list `listId` of the built-in Sandbox org
 * (csv:inspect, then csv:autoMatch), with contact ids from `contactId` (by default the Email
 * column, so a resend of the same row updates the same contact).
 */
export async function proposedMapping(
  runtime: AppRuntime,
  listId: string,
  csvPath: string,
  contactId: ContactIdRule = { kind: 'column', column: 'Email' },
) {
  const inspection = await runtime.services['csv:inspect']({ path: csvPath });
  const matched = await runtime.services['csv:autoMatch']({
    headers: inspection.headers,
    source: { kind: 'list', orgId: 'sandbox', listId },
  });
  return { ...matched.mapping, contactId };
}

/**
 * Resolves with the summary of run `runId` when the runtime emits runs:finished for it.
 * Subscribe before the run can finish (call it right after runs:start, or before resuming).
 */
export function runFinished(runtime: AppRuntime, runId: string): Promise<RunSummary> {
  return new Promise((resolve) => {
    const stop = runtime.events.subscribe((event, payload) => {
      const summary = payload as RunSummary;
      if (event === 'runs:finished' && summary.runId === runId) {
        stop();
        resolve(summary);
      }
    });
  });
}

/**
 * Writes `folder/name`, a CSV for the Webinar list (Email, First Name, Company, Work Phone,
 * Score) with `rows` data rows; emails are `<prefix><n>@example.com`, and the rows in
 * `badPhones` (1-based) carry the phone '555-01', which the list's rules reject.
 */
export function writeWebinarCsv(
  folder: string,
  name: string,
  rows: number,
  badPhones: number[] = [],
  prefix = 'person',
): string {
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= rows; index += 1) {
    const phone = badPhones.includes(index)
      ? '555-01'
      : `+1317555${String(index).padStart(4, '0')}`;
    lines.push(`${prefix}${index}@example.com,Person ${index},Acme,${phone},warm`);
  }
  const file = path.join(folder, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
