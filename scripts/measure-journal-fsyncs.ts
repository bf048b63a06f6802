// Measures how many fsyncs the journal makes for 100,000 rows (docs/ARCHITECTURE.md, Why the
// journal survives a crash): an UploadRun with 16 workers against an in-memory server that
// answers each batch after 5-30 ms, as a network would. Usage:
//   node --import tsx scripts/measure-journal-fsyncs.ts [batchSize]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UploadRun } from '../core/engine/contacts/contacts-run';
import type { ContactsTransport } from '../core/engine/contacts/transport';
import { JournalWriter } from '../core/engine/journal/journal';
import type { JournalSink } from '../core/engine/journal/run-ledger';
import { OrgLimiter } from '../core/engine/throttle/org-limiter';
import type { SourceRow } from '../core/engine/types';

const ROWS = 100_000;
const batchSize = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'sluice-fsyncs-'));
let fsyncs = 0;

const transport: ContactsTransport = {
  async postContacts(request) {
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25));
    return { kind: 'response', status: 200, headers: {}, bodyText: request.bodyJson, latencyMs: 5 };
  },
};

const openJournal = (runDir: string): JournalSink => {
  const writer = JournalWriter.open(runDir);
  let buffered = 0;
  return {
    record: (entry) => {
      buffered += 1;
      writer.record(entry);
    },
    commit: () => {
      if (buffered > 0) fsyncs += 1;
      buffered = 0;
      writer.commit();
    },
    close: () => writer.close(),
  };
};

async function* source(): AsyncGenerator<SourceRow> {
  for (let n = 1; n <= ROWS; n += 1) {
    yield { rowNumber: n, ok: true, contact: { id: `c${n}`, data: { Name: `n${n}` } } };
  }
}

const summary = await new UploadRun({
  runId: 'measure',
  runDir: join(dir, 'run'),
  orgName: 'Measure',
  contactListId: 'L',
  source,
  limiter: new OrgLimiter({
    rateController: { initialRatePerSecond: 100_000, maxRatePerSecond: 100_000 },
  }),
  workers: 16,
  tokenSource: { getAccessToken: async () => 'token', invalidate: () => undefined },
  transport,
  batchLimits: { maxContacts: batchSize },
  openJournal,
}).start();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ rows: summary.uploaded, batchSize, batches: Math.ceil(ROWS / batchSize), fsyncs })}\n`,
);
