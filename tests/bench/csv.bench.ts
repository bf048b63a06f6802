// CSV pipeline benchmark (issue 5): rows/s for raw papaparse, Sluice's own parse, and full
// `prepareCsv` with and without phone normalisation, plus peak RSS for 1M and 3M rows.
// Each measurement runs in its own child process so its peak RSS (maxRSS) is its own.
// Stdout carries only the Markdown section; progress goes to stderr.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import {
  autoMapping,
  FingerprintTable,
  openCsv,
  prepareCsv,
  prepareCsvInWorker,
  readContactListSchema,
} from '../../core/csv/index';

const COLUMNS = [
  'CustomerId',
  'FirstName',
  'LastName',
  'Email',
  'MobilePhone',
  'HomePhone',
  'Street',
  'City',
  'State',
  'Zip',
  'Balance',
  'DueDate',
];
const SCHEMA = {
  columnNames: COLUMNS,
  phoneColumns: [
    { columnName: 'MobilePhone', type: 'cell' },
    { columnName: 'HomePhone', type: 'home' },
  ],
  columnDataTypeSpecifications: [
    { columnName: 'Balance', columnDataType: 'NUMERIC' },
    { columnName: 'DueDate', columnDataType: 'TIMESTAMP' },
  ],
};
const AREA_CODES = ['212', '646', '415', '312', '617', '305', '702', '206'];
const FIRST = ['Ann', 'Bob', 'Chloé', 'Dmitri', 'Eve', 'Farah', 'Günter', 'Hana'];
const LAST = ['Lee', 'Ray', 'Müller', "O'Brien", 'Nguyen', 'Smith', 'García', 'Kowalski'];

type Mode = 'raw' | 'parse' | 'prepare' | 'prepare-phones' | 'prepare-worker';
interface ChildResult {
  rows: number;
  seconds: number;
  maxRssMb: number;
}

function phone(index: number, salt: number): string {
  // National US format as CRM exports write it; 1 row in 200 has a broken number.
  if (index % 200 === 7 && salt === 1) return '555-01';
  const area = AREA_CODES[(index + salt) % AREA_CODES.length]!;
  const exchange = 200 + ((index * 7 + salt * 13) % 700);
  const line = String((index * 31 + salt) % 10_000).padStart(4, '0');
  return `(${area}) ${exchange}-${line}`;
}

async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${COLUMNS.join(',')}\r\n`);
  let chunk = '';
  for (let index = 0; index < rows; index += 1) {
    const first = FIRST[index % FIRST.length]!;
    const last = LAST[(index >> 3) % LAST.length]!;
    chunk += `C${index},${first},${last},${first.toLowerCase()}.${index}@example.com,${phone(index, 1)},${phone(index, 2)},"${index % 900} Main St, Apt ${index % 40}",Springfield,IL,${String(10_000 + (index % 89_999))},${(index % 5000) / 4},2025-0${1 + (index % 9)}-1${index % 10}\r\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function child(mode: Mode, csvPath: string, folder: string): Promise<ChildResult> {
  const started = performance.now();
  let rows = 0;
  if (mode === 'raw') {
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: ',' });
    createReadStream(csvPath, { encoding: 'utf8' }).pipe(parser);
    for await (const _row of parser) rows += 1;
    rows -= 1; // header
  } else if (mode === 'parse') {
    for await (const _row of await openCsv(csvPath)) rows += 1;
  } else {
    const schema = readContactListSchema(SCHEMA);
    const mapping = {
      ...autoMapping(COLUMNS, schema),
      contactId: { kind: 'column' as const, column: 'CustomerId' },
    };
    const run = mode === 'prepare-worker' ? prepareCsvInWorker : prepareCsv;
    const summary = await run({
      csvPath,
      schema,
      mapping,
      outPath: join(folder, 'clean.csv'),
      rejectsPath: join(folder, 'rejects.csv'),
      defaultCountry: 'US',
      normalizePhones: mode === 'prepare-phones',
    });
    rows = summary.rowsRead;
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function measure(mode: Mode, csvPath: string, folder: string): ChildResult {
  process.stderr.write(`  ${mode} on ${csvPath} …\n`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, csvPath, folder],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`${mode} child failed with exit code ${result.status}`);
  return JSON.parse(result.stdout.trim()) as ChildResult;
}

const rate = (result: ChildResult): string =>
  Math.round(result.rows / result.seconds).toLocaleString('en-US');
const mb = (result: ChildResult): string => result.maxRssMb.toFixed(0);

async function parent(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-csv-bench-'));
  try {
    const smallRows = Number(process.env.SLUICE_BENCH_CSV_ROWS ?? 1_000_000);
    const small = join(folder, 'contacts-1x.csv');
    const large = join(folder, 'contacts-3x.csv');
    // Phone normalisation runs at a few thousand rows/s here: measured on a slice to keep the bench short.
    const phoneRows = Math.min(200_000, smallRows);
    const phoneFile = join(folder, 'contacts-phones.csv');
    process.stderr.write(`generating ${smallRows} and ${3 * smallRows} rows in ${folder}\n`);
    await generate(small, smallRows);
    await generate(large, 3 * smallRows);
    await generate(phoneFile, phoneRows);
    const raw = measure('raw', small, folder);
    const parse = measure('parse', small, folder);
    const prepare = measure('prepare', small, folder);
    const phones = measure('prepare-phones', phoneFile, folder);
    const worker = measure('prepare-worker', small, folder);
    const workerLarge = measure('prepare-worker', large, folder);
    const sizeMb = (path: string): string => (statSync(path).size / 2 ** 20).toFixed(0);
    const ratio = (prepare.rows / prepare.seconds / (raw.rows / raw.seconds)) * 100;
    const growth = (workerLarge.maxRssMb / worker.maxRssMb - 1) * 100;
    const indexMb = async (path: string): Promise<number> =>
      FingerprintTable.bytesFor((await openCsv(path)).estimatedRows, false) / 2 ** 20;
    const [smallIndexMb, largeIndexMb] = [await indexMb(small), await indexMb(large)];
    const growthWithoutIndex =
      ((workerLarge.maxRssMb - largeIndexMb) / (worker.maxRssMb - smallIndexMb) - 1) * 100;
    const lines = [
      '### CSV pipeline: parse and prepare throughput, peak memory',
      '',
      `Generated files of 12 columns (two US phone columns in national format, 1 row in 200 with a broken phone, a quoted address with a comma): ${smallRows.toLocaleString('en-US')} rows (${sizeMb(small)} MiB) and ${(3 * smallRows).toLocaleString('en-US')} rows (${sizeMb(large)} MiB). `,
      'Each line is one child process (`node --import tsx`), so "peak RSS" is that process alone, tsx and libraries included. ',
      '"prepare" is `prepareCsv`: decode, parse, map, validate, duplicate-id check (keep-first on CustomerId), write the clean and rejects files.',
      '',
      '| Run | Rows | Rows/s | % of raw papaparse | Peak RSS (MB) |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| raw papaparse (Node stream, rows counted) | ${raw.rows.toLocaleString('en-US')} | ${rate(raw)} | 100% | ${mb(raw)} |`,
      `| Sluice parse only (openCsv) | ${parse.rows.toLocaleString('en-US')} | ${rate(parse)} | ${((parse.rows / parse.seconds / (raw.rows / raw.seconds)) * 100).toFixed(0)}% | ${mb(parse)} |`,
      `| prepare, no phone normalisation | ${prepare.rows.toLocaleString('en-US')} | ${rate(prepare)} | ${ratio.toFixed(0)}% | ${mb(prepare)} |`,
      `| prepare, E.164 phone normalisation (libphonenumber-js max; first ${phoneRows.toLocaleString('en-US')} rows) | ${phones.rows.toLocaleString('en-US')} | ${rate(phones)} | ${((phones.rows / phones.seconds / (raw.rows / raw.seconds)) * 100).toFixed(0)}% | ${mb(phones)} |`,
      `| prepare in a worker thread (what \`sluice prepare\` and the app run), no phones | ${worker.rows.toLocaleString('en-US')} | ${rate(worker)} | ${((worker.rows / worker.seconds / (raw.rows / raw.seconds)) * 100).toFixed(0)}% | ${mb(worker)} |`,
      `| same, 3× file | ${workerLarge.rows.toLocaleString('en-US')} | ${rate(workerLarge)} | ${((workerLarge.rows / workerLarge.seconds / (raw.rows / raw.seconds)) * 100).toFixed(0)}% | ${mb(workerLarge)} |`,
      '',
      `Targets: peak RSS ≤ 300 MB (${Math.max(prepare.maxRssMb, phones.maxRssMb, worker.maxRssMb, workerLarge.maxRssMb) <= 300 ? 'met' : 'NOT met'}); ` +
        `3× file ≤ +10% memory (worker runs: ${growth.toFixed(1)}%: ${growth <= 10 ? 'met' : 'NOT met'}); ` +
        `prepare without phones ≥ 40% of raw parse (${ratio.toFixed(0)}%: ${ratio >= 40 ? 'met' : 'NOT met'}). ` +
        'The worker caps its old generation at 64 MB (live heap is ~15 MB whatever the file size), so V8 collects instead of letting RSS drift on long files as it does on the main thread. ' +
        'What still grows with the file is the duplicate-id index, inherent to finding duplicates in one pass: 8 bytes per slot in typed arrays, ' +
        `presized to a power of two from the row count estimated on the first 64 KiB: ${smallIndexMb.toFixed(0)} MiB for the 1× file, ${largeIndexMb.toFixed(0)} MiB for the 3× file. ` +
        `Without the index, the 3× file uses ${growthWithoutIndex.toFixed(1)}% more memory than the 1× file. Everything else streams in 64 KiB reads. ` +
        'Phone normalisation is libphonenumber-js parsing and validating each number with full metadata (tens of µs per number); it is the cost of real validity checks.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const result = await child(process.argv[3] as Mode, process.argv[4]!, process.argv[5]!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await parent();
}
