import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  autoMapping,
  checkRuleNotes,
  phoneColumnNames,
  withIdHeader,
  CsvFileError,
  formatRowNumber,
  openCsv,
  prepareCsvInWorker,
  readContactListSchema,
  readMapping,
} from '../../core/csv/index';
import type {
  ContactListSchema,
  DuplicateIdPolicy,
  Mapping,
  PrepareSummary,
} from '../../core/csv/index';
import { isSupportedCountry } from '../../core/csv/phone';
import { readContactListJson } from '../../core/genesys/contact-list-reader';
import { createClientCredentialsTokenSource } from '../../core/genesys/client-credentials';
import { cancellableRead } from '../progress-printer';
import { resolveUploadTarget } from './upload-target';
import { countOf } from '../../core/text/count';
import { ruleText, warningText } from '../../core/text/check-rules';

/** Clean rows with a warning the text summary lists by row (the rest are counted). */
const WARNING_ROWS_SHOWN = 10;

interface PrepareFlags {
  csv: string;
  sheet?: string;
  schema?: string;
  org?: string;
  list?: string;
  mapping?: string;
  autoMap?: boolean;
  idColumn?: string;
  defaultCountry?: string;
  duplicates?: string;
  out: string;
  rejects: string;
  overwrite?: boolean;
  json?: boolean;
}

const DUPLICATE_POLICIES: DuplicateIdPolicy[] = ['keep-first', 'keep-last', 'reject-all'];

/**
 * `sluice prepare`: validates and normalises a CSV file against a contact list offline, writing a
 * clean file and a rejects file. Exit 0 when every row is clean, 3 when some were rejected,
 * 1 when the files or options cannot be used, the preparation dies, or Ctrl-C cancels it
 * (one-line message; the half-written outputs are removed).
 */
export function registerPrepareCommand(program: Command): void {
  program
    .command('prepare')
    .description(
      'Check and normalise a CSV file or Excel workbook against a contact list, offline: writes a clean file and a rejects file',
    )
    .requiredOption('--csv <file>', 'the file to prepare: CSV (any encoding, sep= line) or .xlsx')
    .option('--sheet <name>', 'the sheet of an .xlsx workbook (default: the first with data)')
    .option(
      '--schema <file>',
      "the contact list's JSON (as GET /api/v2/outbound/contactlists/{id} returns it)",
    )
    .option('--org <name>', 'read the contact list from this signed-in org (with --list)')
    .option('--list <id>', 'the contact list id (with --org)')
    .option('--mapping <file>', 'a mapping JSON file (from the app or a template export)')
    .option('--auto-map', 'map CSV headers equal or confidently similar to list columns')
    .option(
      '--id-column <header>',
      "CSV header whose value is the contact id, mapped to a list column or not (default: the mapping's)",
    )
    .option(
      '--default-country <cc>',
      'country for phone numbers without +prefix (ISO code, e.g. US, GB)',
    )
    .option(
      '--duplicates <policy>',
      `duplicate contact ids: ${DUPLICATE_POLICIES.join(' | ')} (default: the mapping's)`,
    )
    .requiredOption(
      '--out <file>',
      'where to write the clean CSV (list columns, values as uploaded; .xlsx for a workbook)',
    )
    .requiredOption(
      '--rejects <file>',
      'where to write the rejected rows with their reasons (safe to open in Excel; .xlsx for a workbook)',
    )
    .option('--overwrite', 'replace --out and --rejects when they exist (default: refuse)')
    .option(
      '--json',
      'print one final JSON line {rowsRead, clean, rejected, byRule, warned, byWarning}',
    )
    .action(async (flags: PrepareFlags) => {
      const { summary, ruleNotes } = await runPrepare(flags);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(jsonSummary(summary))}\n`
          : textSummary(summary, ruleNotes, flags),
      );
      process.exitCode = summary.rejected > 0 ? 3 : 0;
    });
}

/**
 * The preparation's counts (the clean rows that deserve a look among them, as the app's check and
 * Prepare screen show them), and the mapping's notes for them (FileCheck.ruleNotes's words).
 */
async function runPrepare(
  flags: PrepareFlags,
): Promise<{ summary: PrepareSummary; ruleNotes: Record<string, string> }> {
  checkFlags(flags);
  checkOutputs(flags);
  const schema = await loadSchema(flags);
  const mapping = await loadMapping(flags, schema);
  const countryCode = flags.defaultCountry?.toUpperCase();
  // Ctrl-C cancels rather than killing the process mid-write: the preparation then removes the
  // files it was writing, so a half-written clean file is never left looking finished. Every
  // Ctrl-C only cancels (no "press again to quit": a worker that does not answer the cancel is
  // stopped within two seconds anyway).
  const summary = await cancellableRead(
    {
      progress: process.stderr.isTTY && !flags.json,
      cancelledMessage: `Cancelled with Ctrl-C: ${flags.csv} was not prepared, and no clean or rejects file was written`,
    },
    // On a worker thread with a capped heap: memory stays flat on multi-million-row files.
    (hooks) =>
      prepareCsvInWorker({
        csvPath: flags.csv,
        ...(flags.sheet === undefined ? {} : { sheet: flags.sheet }),
        schema,
        mapping,
        outPath: flags.out,
        rejectsPath: flags.rejects,
        defaultCountry: countryCode,
        maxWarningRows: WARNING_ROWS_SHOWN,
        ...hooks,
      }),
  );
  return {
    summary,
    ruleNotes: checkRuleNotes(summary.byRule, mapping.contactId, phoneColumnNames(schema)),
  };
}

/** Never erases the input, and replaces an existing output only when asked to. */
function checkOutputs(flags: PrepareFlags): void {
  const [input, out, rejects] = [flags.csv, flags.out, flags.rejects].map((file) => resolve(file));
  if (out === input || rejects === input) {
    throw new Error(
      `--out and --rejects must not be the --csv file ${flags.csv}: it would be erased`,
    );
  }
  if (out === rejects) throw new Error('--out and --rejects must be two different files');
  if (flags.overwrite) return;
  const existing = [flags.out, flags.rejects].filter((file) => existsSync(file));
  if (existing.length > 0) {
    throw new Error(
      `${existing.join(' and ')} already exist(s): add --overwrite to replace, or choose other names`,
    );
  }
}

function checkFlags(flags: PrepareFlags): void {
  if (Boolean(flags.schema) === Boolean(flags.org || flags.list)) {
    throw new Error('give either --schema FILE or --org NAME --list ID');
  }
  if (Boolean(flags.mapping) === Boolean(flags.autoMap))
    throw new Error('give either --mapping FILE or --auto-map');
  if (flags.defaultCountry && !isSupportedCountry(flags.defaultCountry.toUpperCase())) {
    throw new Error(
      `--default-country ${flags.defaultCountry} is not a known country code (use e.g. US, GB, FR)`,
    );
  }
  if (flags.duplicates && !DUPLICATE_POLICIES.includes(flags.duplicates as DuplicateIdPolicy)) {
    throw new Error(`--duplicates must be one of ${DUPLICATE_POLICIES.join(', ')}`);
  }
}

async function loadSchema(flags: PrepareFlags): Promise<ContactListSchema> {
  if (flags.schema) {
    return readContactListSchema(await readJson(flags.schema, 'invalid-schema'), flags.schema);
  }
  if (!flags.org || !flags.list) throw new Error('--org and --list go together: give both');
  // Online: read the list's columns from a saved org (the only network call of `prepare`).
  const target = await resolveUploadTarget({ org: flags.org });
  const tokens = createClientCredentialsTokenSource({
    apiUrl: target.apiUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    orgLabel: target.orgName,
  });
  const json = await readContactListJson({
    apiUrl: target.apiUrl,
    tokenSource: tokens,
    contactListId: flags.list,
  });
  return readContactListSchema(json, `contact list ${flags.list} of ${target.orgName}`);
}

async function loadMapping(flags: PrepareFlags, schema: ContactListSchema): Promise<Mapping> {
  let mapping: Mapping;
  const readHeaders = async () => {
    const source = await openCsv(flags.csv, { sheet: flags.sheet });
    // only the headers: iterating would read the file
    await source[Symbol.asyncIterator]().return?.();
    return source.headers;
  };
  if (flags.mapping) {
    mapping = readMapping(await readJson(flags.mapping, 'invalid-mapping'), flags.mapping);
  } else {
    mapping = autoMapping(await readHeaders(), schema);
    if (Object.keys(mapping.columns).length === 0) {
      throw new CsvFileError(
        'invalid-mapping',
        flags.csv,
        `--auto-map found no CSV header in ${flags.csv} that matches a column of the list (${schema.columnNames.join(', ')}); use --mapping FILE`,
      );
    }
  }
  if (flags.idColumn) mapping = withIdHeader(mapping, flags.idColumn, await readHeaders());
  return flags.duplicates
    ? { ...mapping, duplicateIds: flags.duplicates as DuplicateIdPolicy }
    : mapping;
}

async function readJson(
  path: string,
  reason: 'invalid-schema' | 'invalid-mapping',
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CsvFileError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      path,
      `${path} cannot be read (${code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, '')) as unknown;
  } catch {
    throw new CsvFileError(reason, path, `${path} is not valid JSON`);
  }
}

function jsonSummary(summary: PrepareSummary) {
  return {
    rowsRead: summary.rowsRead,
    clean: summary.clean,
    rejected: summary.rejected,
    byRule: summary.byRule,
    warned: summary.warned,
    byWarning: summary.byWarning,
  };
}

function textSummary(
  summary: PrepareSummary,
  notes: Record<string, string>,
  flags: PrepareFlags,
): string {
  const { warned, byWarning, warningRows } = summary;
  const delimiter = summary.delimiter === '\t' ? 'tab' : summary.delimiter;
  const format =
    summary.format === 'xlsx'
      ? `sheet "${summary.sheet ?? ''}"`
      : `${summary.encoding}, delimiter ${delimiter}`;
  const lines = [
    `Read ${countOf(summary.rowsRead, 'row')} from ${flags.csv} (${format})`,
    ...(summary.sluiceFile
      ? ["  (a Sluice rejects/failures file: its Sluice columns were left out, its ' marks undone)"]
      : []),
    `  clean:    ${formatRowNumber(summary.clean)} → ${flags.out}`,
    `  rejected: ${formatRowNumber(summary.rejected)} → ${flags.rejects}`,
    // The app's words for each rule (core/text/check-rules.ts), the code in brackets, and the
    // mapping's own note under it (why phone-hash ids repeat).
    ...Object.entries(summary.byRule).flatMap(([rule, count]) => [
      `    ${ruleText(rule)} [${rule}]: ${formatRowNumber(count ?? 0)}`,
      ...(notes[rule] ? [`      ${notes[rule]}`] : []),
    ]),
    ...(warned > 0
      ? [
          `  warned:   ${formatRowNumber(warned)} of the clean rows (sent, but look at them first)`,
          ...Object.entries(byWarning).map(
            ([warning, count]) =>
              `    ${warningText(warning)} [${warning}]: ${formatRowNumber(count ?? 0)}`,
          ),
          ...warningRows.map((row) => `    row ${row.rowNumber}: ${row.reasons}`),
          ...(warned > warningRows.length ? [`    (the first ${warningRows.length} shown)`] : []),
        ]
      : []),
    ...summary.headerProblems.map((problem) => `  note: ${problem.message}`),
  ];
  return `${lines.join('\n')}\n`;
}
