// `sluice upload`, `resume` and `retry`: options, the org and secret they sign in with, and the
// progress printer. Over 300 lines on purpose: the three commands share their options and
// their output, and commander wants them declared where they run.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rowsNotRead, type RunSummary } from '../../core/contract/runs';
import {
  autoMapping,
  withIdHeader,
  openCsv,
  readContactListSchema,
  readMapping,
  type Mapping,
} from '../../core/csv';
import { readContactListJson, type ContactListJson } from '../../core/genesys/contact-list-reader';
import { openRunSession } from '../../core/engine/run/run-session';
import { checkListCapacity } from '../../core/engine/run/capacity-preflight';
import { countFileRows } from '../../core/engine/run/count-file-rows';
import { rowsIfUnchanged, type CountedRows } from '../../core/engine/run/file-rows';
import { RunManager, type RunMeta } from '../../core/engine/run/run-manager';
import { newRunMeta } from '../../core/engine/run/run-meta';
import type { RunEvent } from '../../core/engine/contacts/contacts-run';
import { createClientCredentialsTokenSource } from '../../core/genesys/client-credentials';
import { SANDBOX_ORG_ID } from '../../core/services/orgs-sessions';
import { defaultDataFolder, ensureDataFolder } from '../../core/store';
import { resolveUploadTarget, type UploadTarget } from './upload-target';
import { cliLog } from '../cli-log';
import { runSummaryText } from './run-summary-text';
import { ownCtrlC } from '../own-ctrl-c';
import { cancellableRead } from '../progress-printer';

interface UploadFlags {
  csv: string;
  sheet?: string;
  list: string;
  org?: string;
  apiUrl?: string;
  clientId?: string;
  mapping?: string;
  autoMap?: boolean;
  idColumn?: string;
  defaultCountry?: string;
  batchSize: string;
  headroom: string;
  strategy: string;
  requeueUpdated?: boolean;
  priority?: boolean;
  clearSystemData?: boolean;
  maxRetryAfter: string;
  runDir?: string;
  json?: boolean;
}

interface SessionFlags {
  org?: string;
  apiUrl?: string;
  clientId?: string;
  runDir?: string;
  json?: boolean;
}

const STRATEGY_HELP = `
Strategies:
  contacts  (default) POST batches of up to 1,000 contacts, paced below the org's limit. Every row
            gets its own outcome (uploaded / rejected with the server's reason / failed), the run
            can be paused, resumed after a crash, and failed rows retried.
  import    Bulk import of one CSV through the contact-list upload URL. Fewer API calls for very
            large loads, but Genesys returns no per-row errors or ids: progress comes from the
            import status only.

Exit codes: 0 every row uploaded, 3 finished with rejected or failed rows, 1 could not run
(or paused with Ctrl-C: resume with "sluice resume RUN").`;

/** The runs folder: --run-dir, else `<data folder>/runs`. */
export function runsFolder(flag: string | undefined): string {
  return resolve(flag ?? join(ensureDataFolder(defaultDataFolder()), 'runs'));
}

/**
 * `sluice upload`, `sluice resume RUN`, `sluice retry RUN`: the engine from the command line.
 * Progress on a TTY (stderr), one JSON line with --json, Ctrl-C pauses cleanly.
 */
export function registerUploadCommand(program: Command): void {
  program
    .command('upload')
    .description(
      'Upload a CSV file into a contact list, throttled below the org rate limit, loss-free',
    )
    .requiredOption('--csv <file>', 'the CSV file')
    .requiredOption('--list <id>', 'the contact list id')
    .option('--org <name>', 'a saved org (client credentials)')
    .option(
      '--api-url <url>',
      'API base URL, e.g. https://api.mypurecloud.ie (secret in SLUICE_CLIENT_SECRET)',
    )
    .option('--client-id <id>', 'OAuth client id (with --api-url)')
    .option('--sheet <name>', 'the sheet of an .xlsx workbook (default: the first with data)')
    .option('--mapping <file>', 'a mapping JSON file')
    .option('--auto-map', 'map CSV headers equal (or confidently similar) to list column names')
    .option(
      '--id-column <header>',
      'CSV header whose value is the contact id, mapped to a list column or not (default: a hash of the key columns)',
    )
    .option('--default-country <cc>', 'country for phone numbers without +prefix (ISO code)')
    .option('--batch-size <n>', 'contacts per request (max 1000)', '1000')
    .option(
      '--headroom <pct>',
      "share of the rate limit left for the customer's own traffic, %",
      '10',
    )
    .option('--strategy <name>', 'contacts | import (see below)', 'contacts')
    .option(
      '--requeue-updated',
      'queue contacts the list already has again (a dialer may call them again; default: never)',
    )
    .option('--priority', 'put new and re-queued contacts at the front of the dialing queue')
    .option(
      '--clear-system-data',
      "clear updated contacts' call attempts and results (callable again from scratch)",
    )
    .option(
      '--max-retry-after <s>',
      'pause the run when Genesys asks to wait longer than this after a 429, seconds',
      '120',
    )
    .option('--run-dir <dir>', 'folder for run journals and reports (default: <data folder>/runs)')
    .option('--json', 'print one JSON line with the outcome')
    .addHelpText('after', STRATEGY_HELP)
    .action(async (flags: UploadFlags) => {
      process.exitCode = await upload(flags);
    });

  registerContinueCommand(
    program,
    'resume',
    'Continue a paused, cancelled or killed run (id or folder): sends every row it never sent, once; acknowledged rows are not sent again',
    'upload',
  );
  registerContinueCommand(
    program,
    'retry',
    "Send a run's failed rows again (rejected rows need fixing first)",
    'retry-failed',
  );
}

/**
 * `sluice resume RUN` and `sluice retry RUN`: both continue a run folder, with the same flags for
 * signing in again (by default as the run did) and finding the run.
 */
function registerContinueCommand(
  program: Command,
  name: 'resume' | 'retry',
  description: string,
  mode: 'upload' | 'retry-failed',
): void {
  program
    .command(`${name} <run>`)
    .description(description)
    .option('--org <name>', 'a saved org (default: the one the run used, if any)')
    .option(
      '--api-url <url>',
      "API base URL, instead of the run's saved org (secret in SLUICE_CLIENT_SECRET; default: the run's org or address)",
    )
    .option('--client-id <id>', 'OAuth client id (default: the one the run used)')
    .option('--run-dir <dir>', 'runs folder')
    .option('--json', 'print one JSON line with the outcome')
    .action(async (run: string, flags: SessionFlags) => {
      process.exitCode = await continueRun(run, flags, mode);
    });
}

async function upload(flags: UploadFlags): Promise<number> {
  const batchSize = Number(flags.batchSize);
  const headroomPct = Number(flags.headroom);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    throw new Error(`--batch-size must be a whole number from 1 to 1000 (got ${flags.batchSize}).`);
  }
  if (!(headroomPct >= 0 && headroomPct < 100)) {
    throw new Error(`--headroom is a percentage from 0 to 99 (got ${flags.headroom}).`);
  }
  if (flags.strategy !== 'contacts' && flags.strategy !== 'import') {
    throw new Error(`--strategy is contacts or import (got ${flags.strategy}).`);
  }
  const maxRetryAfterSeconds = Number(flags.maxRetryAfter);
  if (!Number.isInteger(maxRetryAfterSeconds) || maxRetryAfterSeconds < 30) {
    throw new Error(
      `--max-retry-after is a whole number of seconds, at least 30 (got ${flags.maxRetryAfter}).`,
    );
  }
  if (flags.strategy === 'import' && (flags.requeueUpdated || flags.priority)) {
    throw new Error(
      '--requeue-updated and --priority apply to the contacts strategy only: a bulk import has no queue flags.',
    );
  }
  if (!flags.mapping && !flags.autoMap)
    throw new Error('Choose a mapping: --mapping FILE or --auto-map.');
  const target = await resolveUploadTarget(flags);
  const tokenSource = tokenSourceFor(target);
  const listJson = await readContactListJson({
    apiUrl: target.apiUrl,
    tokenSource,
    contactListId: flags.list,
    includeSize: true,
  });
  const schema = readContactListSchema(listJson, `contact list ${flags.list}`);
  const csvPath = resolve(flags.csv);
  let mapping: Mapping;
  let headers: readonly string[] | undefined;
  const readHeaders = async () => {
    const probe = await openCsv(csvPath, flags.sheet ? { sheet: flags.sheet } : {});
    // the probe is only for headers; iterating it would read the file
    await probe[Symbol.asyncIterator]().return?.();
    return probe.headers;
  };
  if (flags.mapping) {
    mapping = readMapping(JSON.parse(readFileSync(flags.mapping, 'utf8')), flags.mapping);
  } else {
    headers = await readHeaders();
    mapping = autoMapping(headers, schema);
  }
  if (flags.idColumn) {
    mapping = withIdHeader(mapping, flags.idColumn, headers ?? (await readHeaders()));
  }
  // The file's rows before the first request, as the app's whole-file check gives the runs it
  // starts: the progress line's total and ETA from the first tick, and the throttle's work left
  // (docs/ARCHITECTURE.md, "Probes priced by the work left"). Undefined if the file changed.
  const fileRows = await countForUpload(csvPath, flags.sheet, flags.json === true);
  await checkListCapacity({
    list: listJson,
    contactListId: flags.list,
    csvPath,
    ...(flags.sheet ? { sheet: flags.sheet } : {}),
    limits: { apiUrl: target.apiUrl, tokenSource },
    ...(fileRows ? { countedRows: fileRows.rows } : {}),
  });
  const manager = new RunManager(runsFolder(flags.runDir));
  const runId = manager.newRunId();
  const meta = newRunMeta({
    runId,
    orgName: target.orgName,
    apiUrl: target.apiUrl,
    clientId: target.clientId,
    ...(target.profileId ? { profileId: target.profileId } : {}),
    contactListId: flags.list,
    strategy: flags.strategy,
    csvPath,
    ...(flags.sheet ? { sheet: flags.sheet } : {}),
    list: schema,
    mapping,
    ...(flags.defaultCountry ? { defaultCountry: flags.defaultCountry } : {}),
    batchSize,
    headroom: headroomPct / 100,
    requeueUpdated: flags.requeueUpdated === true,
    priority: flags.priority === true,
    clearSystemData: flags.clearSystemData === true,
    maxRetryAfterSeconds,
    ...(fileRows ? { fileRows } : {}),
  });
  manager.writeMeta(meta);
  return runSession(manager, meta, target, 'upload', flags.json === true, tokenSource, listJson);
}

async function continueRun(
  run: string,
  flags: SessionFlags,
  mode: 'upload' | 'retry-failed',
): Promise<number> {
  const manager = new RunManager(runsFolder(flags.runDir));
  const meta = manager.readMeta(run);
  // The built-in Sandbox org is no saved org: it lives inside the app, at a new address at
  // every launch, so the CLI can reach it only at an address the user gives.
  const builtInSandbox = meta.profileId === SANDBOX_ORG_ID;
  if (!flags.org && !flags.apiUrl && builtInSandbox) {
    throw new Error(
      `Run ${meta.runId} went to the built-in Sandbox org, which runs only inside the Sluice app: continue it there (its run view or History). While the app still runs the Sandbox it used, give --api-url ${meta.apiUrl || 'URL'} with its client secret in SLUICE_CLIENT_SECRET.`,
    );
  }
  if (!flags.org && !meta.profileId && !flags.apiUrl) {
    // run.json may come from anywhere: SLUICE_CLIENT_SECRET goes only to a host the user names.
    throw new Error(
      `Run ${meta.runId} has no saved org: give --api-url ${meta.apiUrl || 'URL'} (and --client-id) if that is where it belongs, or --org NAME.`,
    );
  }
  // What the user names wins over what the run recorded: --org, else --api-url, else the
  // run's saved org, else its address.
  const org = flags.org ?? (flags.apiUrl || builtInSandbox ? undefined : meta.profileId);
  const target = await resolveUploadTarget({
    ...(org ? { org } : {}),
    apiUrl: flags.apiUrl ?? meta.apiUrl,
    clientId: flags.clientId ?? meta.clientId,
  });
  return runSession(manager, meta, target, mode, flags.json === true, tokenSourceFor(target));
}

/**
 * Counts the file's data rows for `sluice upload` (count-file-rows.ts: the run's reader, no
 * mapping), with `sluice prepare`'s progress line on a TTY. Ctrl-C cancels the count, and with
 * it the upload: no run is started. A file the reader cannot read fails here, with the message
 * the run would have stopped on, before anything is sent.
 */
async function countForUpload(
  csvPath: string,
  sheet: string | undefined,
  json: boolean,
): Promise<CountedRows | undefined> {
  return cancellableRead(
    {
      progress: !json && process.stderr.isTTY,
      label: 'Counting rows: ',
      cancelledMessage: `Cancelled with Ctrl-C while counting the rows of ${csvPath}: no run was started, nothing was uploaded`,
    },
    (hooks) => countFileRows(csvPath, { ...(sheet ? { sheet } : {}), ...hooks }),
  );
}

function tokenSourceFor(target: UploadTarget) {
  return createClientCredentialsTokenSource({
    apiUrl: target.apiUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    orgLabel: target.orgName,
  });
}

async function runSession(
  manager: RunManager,
  meta: RunMeta,
  target: UploadTarget,
  mode: 'upload' | 'retry-failed',
  json: boolean,
  tokenSource: ReturnType<typeof tokenSourceFor>,
  list?: ContactListJson,
): Promise<number> {
  const run = await openRunSession(
    manager,
    meta,
    { apiUrl: target.apiUrl, tokenSource },
    mode,
    list ? { list } : {},
  );

  const progress = !json && process.stderr.isTTY ? new ProgressLine() : undefined;
  run.on((event: RunEvent) => progress?.update(event));
  const log = cliLog();
  log?.runs.setOrg(meta.runId, target.orgName);
  run.on((event: RunEvent) => {
    if (event.type === 'batch') log?.runs.batch(event.batch);
    else if (event.type === 'metrics') log?.runs.metrics(event.metrics);
    else if (event.type === 'finished') log?.runs.finished(event.summary);
  });
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts += 1;
    if (interrupts > 1) {
      process.stderr.write(
        '\nsluice: stopped without waiting; the journal keeps what was acknowledged.\n',
      );
      log?.log.logger.warn({ runId: meta.runId }, 'stopped without waiting (second Ctrl-C)');
      log?.log.flushSync();
      process.exit(1);
    }
    if (!run.pause) {
      // a bulk import cannot pause: stop watching it (Genesys finishes the import anyway)
      process.stderr.write('\nStopping: a bulk import cannot pause; the run is cancelled.\n');
      run.cancel('Cancelled with Ctrl-C while Genesys was importing the file');
      return;
    }
    process.stderr.write(
      '\nPausing: waiting for requests in flight (Ctrl-C again to quit at once)…\n',
    );
    run.pause();
  };
  // The only SIGINT listener while the run goes: one press pauses, a second quits at once.
  const releaseCtrlC = ownCtrlC(onInterrupt);
  let summary: RunSummary;
  try {
    summary = await run.start();
  } finally {
    releaseCtrlC();
    progress?.done();
  }
  // The file's rows as counted before the upload, while the file is unchanged since.
  const fileRows = meta.csvPath ? rowsIfUnchanged(meta.csvPath, meta.fileRows)?.rows : undefined;
  report(summary, json, fileRows);
  if (summary.state === 'paused') {
    if (summary.stateReason) process.stderr.write(`sluice: ${summary.stateReason}\n`);
    const where = meta.profileId ? '' : ` --api-url ${meta.apiUrl} --client-id ${meta.clientId}`;
    process.stderr.write(`Paused. Resume with: sluice resume ${summary.runDir}${where}\n`);
    return 1;
  }
  if (summary.state === 'stopped') {
    process.stderr.write(`sluice: ${summary.stateReason ?? 'the run stopped'}\n`);
    return 1;
  }
  return summary.rejected + summary.failed > 0 || summary.state !== 'completed' ? 3 : 0;
}

function report(summary: RunSummary, json: boolean, fileRows: number | undefined): void {
  const notRead = rowsNotRead(summary, fileRows);
  if (json) {
    const line = {
      runId: summary.runId,
      rowsRead: summary.rowsRead,
      uploaded: summary.uploaded,
      rejected: summary.rejected,
      failed: summary.failed,
      skipped: summary.skipped,
      requests: summary.requests,
      throttled: summary.throttled,
      retries: summary.retries,
      elapsedMs: Math.round(summary.elapsedMs),
      contactsPerSecond: Math.round(summary.contactsPerSecond * 10) / 10,
      runDir: summary.runDir,
      ...(notRead !== undefined ? { notRead } : {}),
      ...((summary.state === 'cancelled' || summary.state === 'stopped') && summary.notSent
        ? { notSent: summary.notSent }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  process.stdout.write(runSummaryText(summary, fileRows));
}

/**
 * A one-line progress display on stderr (TTY only): rows settled of the file's rows once the
 * engine knows them (counted before the upload started, unless the file changed during the
 * count; else once every row is read), else of the rows read.
 */
class ProgressLine {
  private last = '';

  update(event: RunEvent): void {
    if (event.type !== 'metrics') return;
    const m = event.metrics;
    const settled = m.uploaded + m.rejected + m.failed + m.skipped;
    const width = 24;
    const total = m.totalRows ?? m.rowsRead;
    const share = total > 0 ? Math.min(1, settled / total) : 0;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const backoff =
      m.currentBackoffMs > 0 ? ` wait ${(m.currentBackoffMs / 1000).toFixed(1)}s` : '';
    const eta = m.etaMs !== undefined ? ` · ${Math.ceil(m.etaMs / 1000)}s left` : '';
    this.last = `[${bar}] ${settled}/${total} rows · ${m.rowsPerSecond.toFixed(0)} rows/s · ${m.pacingRatePerSecond.toFixed(1)} req/s · 429 ${m.throttled}${backoff}${eta}`;
    process.stderr.write(`\r${this.last.padEnd(100)}`);
  }

  done(): void {
    if (this.last) process.stderr.write('\n');
  }
}
