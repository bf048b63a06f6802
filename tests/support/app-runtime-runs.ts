import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { BatchEvent, RunSummary } from '../../core/contract';
import type { ContactIdRule } from '../../core/csv/mapping';
import { startAppRuntime, type AppRuntime } from '../../core/services/app-runtime';
import { tempFolder } from './temp-folder';
import { usPhone, writeContactsCsv } from './webinar-csv';

/**
 * Helpers for tests that drive the app's runs:* services through a started AppRuntime (the
 * runtime the desktop app and the web host start, with its built-in Sandbox org).
 */

/** An AppRuntime started on its own data folder, with the Sandbox's Webinar list found. */
export interface TestRuntime {
  runtime: AppRuntime;
  /** The runtime's data folder; tests write their own files in it too. */
  folder: string;
  /** The Webinar list of the built-in Sandbox org. */
  listId: string;
  /** Closes the runtime (and its Sandbox org) and removes the folder. */
  close(): Promise<void>;
}

/**
 * Starts the runtime the web host starts (shell `web-host`, its built-in Sandbox org) on a new
 * temporary data folder named from `prefix`.
 */
export async function startTestRuntime(prefix: string): Promise<TestRuntime> {
  const folder = tempFolder(prefix);
  const runtime = await startAppRuntime({
    version: '0.0.0',
    dataFolder: folder,
    shell: 'web-host',
  });
  const close = async () => {
    await runtime.close();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    return { runtime, folder, listId: await webinarListId(runtime), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Starts a TestRuntime (see `startTestRuntime`) before the file's tests, hands it to `started`,
 * and closes it after them.
 */
export function testRuntimePerFile(prefix: string, started: (runtime: TestRuntime) => void): void {
  let current: TestRuntime | undefined;
  beforeAll(async () => {
    current = await startTestRuntime(prefix);
    started(current);
  });
  afterAll(() => current?.close());
}

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
 * Starts a run of `csvPath` into list `listId` of the built-in Sandbox org with the proposed
 * mapping (contact ids from `contactId`, the Email column by default) and 10 % headroom: what
 * the Upload screen would start, for tests whose subject is what the run does.
 */
export async function startWebinarRun(
  runtime: AppRuntime,
  listId: string,
  csvPath: string,
  {
    strategy = 'contacts',
    batchSize,
    contactId,
  }: { strategy?: 'contacts' | 'import'; batchSize: number; contactId?: ContactIdRule },
): Promise<{ runId: string }> {
  return runtime.services['runs:start']({
    orgId: 'sandbox',
    listId,
    csvPath,
    mapping: await proposedMapping(runtime, listId, csvPath, contactId),
    strategy,
    headroomPercent: 10,
    batchSize,
  });
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
 * Calls `action` once, when run `runId` reports its first uploaded batch: a moment when rows were
 * really read and sent, to pause or cancel a run mid-way.
 */
export function whenFirstBatchUploads(
  runtime: AppRuntime,
  runId: string,
  action: () => unknown,
): void {
  const stop = runtime.events.subscribe((event, payload) => {
    const batch = payload as BatchEvent;
    if (event === 'runs:batch' && batch.runId === runId && batch.outcome === 'uploaded') {
      stop();
      void action();
    }
  });
}

/** The phone of row `index` of `writeWebinarCsv` (a valid US number). */
const webinarPhone = (index: number) => usPhone(5_550_000, index);

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
  return writeContactsCsv(path.join(folder, name), {
    rows,
    idPrefix: prefix,
    firstName: (index) => `Person ${index}`,
    phone: (index) => (badPhones.includes(index) ? '555-01' : webinarPhone(index)),
  });
}

/**
 * What the good rows of `writeWebinarCsv(…, rows, …, prefix)` store under the Webinar list's
 * columns, by contact id (the Email column).
 */
export function webinarContacts(prefix: string, rows: number): Map<string, Record<string, string>> {
  const expected = new Map<string, Record<string, string>>();
  for (let index = 1; index <= rows; index += 1) {
    expected.set(`${prefix}${index}@example.com`, {
      Email: `${prefix}${index}@example.com`,
      FirstName: `Person ${index}`,
      Company: 'Acme',
      WorkPhone: webinarPhone(index),
    });
  }
  return expected;
}
