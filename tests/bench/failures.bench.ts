// What the Failures screen costs the host for a run with 100,000 rejected rows: the first page
// (reads the journal once), a next page, a text filter and a page of the filtered rows, through
// SettledRowsPages as `runs:rows` serves them; beside one page the way it was served before
// (the whole journal read and sorted for every page), which is what made opening such a run
// take a minute. Each figure is the median of the runs; a fresh pager per run keeps the first
// page cold.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JournalWriter } from '../../core/engine/journal/journal';
import type { SettledRow } from '../../core/engine/journal/journal-records';
import { RunFolder } from '../../core/engine/run/run-folder';
import { SettledRowsPages } from '../../core/services/settled-rows-pages';

const ROWS = 100_000;
const RUNS = 5;
const PAGE_ROWS = 200;

const runDir = mkdtempSync(path.join(os.tmpdir(), 'sluice-failures-bench-'));
try {
  const writer = JournalWriter.open(runDir);
  for (let first = 1; first <= ROWS; first += 1000) {
    const rows: SettledRow[] = [];
    for (let row = first; row < first + 1000; row += 1) {
      const phone = row % 10 === 0 ? 'n/a' : 'call me';
      rows.push({
        row: row + 1,
        contactId: `bulk${row}@example.com`,
        reason: `Work Phone '${phone}' is not a valid phone number`,
        status: 0,
        code: 'phone.invalid',
        data: { Email: `bulk${row}@example.com`, 'First Name': `Lead ${row}`, 'Work Phone': phone },
      });
    }
    writer.record({ t: 'rejected', batch: `b${first}`, rows });
  }
  writer.close();
  const folder = new RunFolder(runDir, 'bench');

  // Wall and CPU time of one step: on a shared machine the CPU column says what the step costs.
  const timed = (work: () => unknown) => {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    work();
    const used = process.cpuUsage(cpu);
    return {
      wallMs: Number(process.hrtime.bigint() - started) / 1e6,
      cpuMs: (used.user + used.system) / 1000,
    };
  };
  type Sample = ReturnType<typeof timed>;
  const stages = {
    first: [] as Sample[],
    next: [] as Sample[],
    filter: [] as Sample[],
    filteredPage: [] as Sample[],
    before: [] as Sample[],
  };
  const filter = { status: '', code: '', text: "'n/a'" };
  for (let run = 0; run < RUNS; run += 1) {
    const pages = new SettledRowsPages();
    stages.first.push(timed(() => pages.page(folder, 'rejected', 0, PAGE_ROWS)));
    stages.next.push(timed(() => pages.page(folder, 'rejected', 50_000, PAGE_ROWS)));
    stages.filter.push(timed(() => pages.page(folder, 'rejected', 0, PAGE_ROWS, filter)));
    stages.filteredPage.push(timed(() => pages.page(folder, 'rejected', 5_000, PAGE_ROWS, filter)));
    stages.before.push(
      timed(() => folder.settledRows('rejected').slice(50_000, 50_000 + PAGE_ROWS)),
    );
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const line = (label: string, samples: Sample[]) =>
    `| ${label} | ${median(samples.map((sample) => sample.wallMs)).toFixed(1)} | ${median(
      samples.map((sample) => sample.cpuMs),
    ).toFixed(1)} |`;
  process.stdout.write(
    [
      '### failures.bench.ts: the Failures screen on 100,000 rejected rows (host side)',
      '',
      `Median of ${RUNS} runs, pages of ${PAGE_ROWS} rows. Target: first page well under 1 s, a filter about 1 s.`,
      '',
      '| step | wall ms | CPU ms |',
      '| --- | ---: | ---: |',
      line('first page (reads the journal)', stages.first),
      line('a page further down', stages.next),
      line("text filter `'n/a'`, first page (10,000 match)", stages.filter),
      line('a page of the filtered rows', stages.filteredPage),
      line('one page as served before (journal read per page)', stages.before),
      '',
    ].join('\n'),
  );
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
