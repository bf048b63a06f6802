// One real bench cell traced: the Sandbox over HTTP and the real engine (UploadRun, OrgLimiter
// with the bench's scaled constants), in one process, then the Sandbox's request log read back:
// what reached it before the first POST, each 429 and the gap to the next POST, and per bin the
// POSTs admitted and refused, the limiter's pace and the spacing of arrivals. For finding where
// the bench and simulate-matrix's timeline disagree (the bench itself keeps no per-request data).
// Run: npx tsx tests/bench/upload/trace-cell.ts "sliding counter" [binMs]
// (random cells from UPLOAD_BENCH_SEED, default 1; TRACE_ALL=1 also prints every POST). Takes a
// cell's real time (~35 s); run one at a time on a shared machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../core/sandbox';
import { UploadRun } from '../../../core/engine/contacts/contacts-run';
import { createFetchTransport } from '../../../core/engine/contacts/transport';
import { OrgLimiter } from '../../../core/engine/throttle/org-limiter';
import { createClientCredentialsTokenSource } from '../../../core/genesys/client-credentials';
import type { SourceRow } from '../../../core/engine/types';
import {
  BATCH,
  SANDBOX_SECOND_MS,
  SCALED_LIMITER,
  SCALED_RETRY_BACKOFF,
  namedCells,
  randomCells,
  ceilingRatePerSecond,
} from './cells';
import { readAsSessionOpens } from './senders';

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'sliding counter';
  const binMs = Number(process.argv[3] ?? 1000);
  const cell = [
    ...namedCells(),
    ...randomCells(Number(process.env.UPLOAD_BENCH_SEED ?? 1), 8),
  ].find((c) => c.name === name);
  if (!cell) throw new Error(`no cell ${name}`);
  const clock = (): number => performance.timeOrigin + performance.now();
  const box = await startSandbox({
    scenario: 'demo',
    seed: 3,
    now: clock,
    overrides: {
      orgs: [
        {
          name: 'Bench org 1',
          clientId: 'bench-client-1',
          clientSecret: 'bench-secret-1',
          lists: [],
        },
      ],
      limits: cell.layers,
      retryAfterMode: cell.retryAfterMode,
      secondMs: SANDBOX_SECOND_MS,
      ...(cell.retryAfterLongSeconds ? { retryAfterLongSeconds: cell.retryAfterLongSeconds } : {}),
      ...(cell.faults ? { faults: cell.faults } : {}),
    },
  });
  try {
    const org = box.orgs[0]!;
    const list = box.inspect.createContactList(org.id, {
      name: 'Trace',
      columnNames: ['Key', 'FirstName', 'LastName', 'HomePhone'],
      phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
    });
    const tokenSource = createClientCredentialsTokenSource({
      apiUrl: box.url,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
    });
    const limiter = new OrgLimiter(SCALED_LIMITER);
    // the session's reads through the limiter, as the product and the bench's Sluice make them
    await tokenSource.getAccessToken();
    await readAsSessionOpens(limiter, { apiUrl: box.url, tokenSource, contactListId: list.id });
    const paces: { atMs: number; pace: number }[] = [];
    const timer = setInterval(
      () => paces.push({ atMs: clock(), pace: limiter.pacingRatePerSecond() }),
      50,
    );
    const count = cell.requests * BATCH;
    async function* rows(): AsyncGenerator<SourceRow> {
      for (let n = 1; n <= count; n += 1)
        yield {
          rowNumber: n,
          ok: true,
          contact: {
            id: `K-${n}`,
            data: {
              Key: `K-${n}`,
              FirstName: 'F',
              LastName: 'L',
              HomePhone: `+1317${2000000 + n}`,
            },
          },
        };
    }
    const dir = mkdtempSync(join(tmpdir(), 'sluice-trace-'));
    try {
      const run = new UploadRun({
        runId: 'trace',
        runDir: dir,
        orgName: org.name,
        contactListId: list.id,
        source: rows,
        limiter,
        tokenSource,
        transport: createFetchTransport({ apiUrl: box.url, timeoutMs: 2000 }),
        batchLimits: { maxContacts: BATCH },
        retryBackoff: SCALED_RETRY_BACKOFF,
      });
      await run.start();
    } finally {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
    }
    const posts = box.inspect
      .requests()
      .filter((e) => e.method === 'POST' && e.path.endsWith('/contacts'));
    const t0 = posts[0]!.atMs;
    const last = posts.filter((p) => p.status === 200).at(-1)!.atMs;
    const ok = posts.filter((p) => p.status === 200).length;
    const ceiling = ceilingRatePerSecond(cell, last - t0);
    // where the first POST fell in a clock-aligned 2 s bucket (the sliding-window counter's)
    console.log(`phase ${(t0 % 2000).toFixed(0)} ms`);
    for (const e of box.inspect.requests().filter((r) => r.atMs < t0 + 1))
      console.log(
        `  before/at first POST: ${(e.atMs - t0).toFixed(1)} ${e.method} ${e.path} ${e.status}`,
      );
    const throttledAt = posts.filter((p) => p.status === 429).map((p) => p.atMs);
    for (const at of throttledAt) {
      const next = posts.find((p) => p.atMs > at);
      console.log(
        `  429 at ${(at - t0).toFixed(0)}, next POST ${next ? (next.atMs - at).toFixed(0) : '-'} ms later`,
      );
    }
    console.log(
      `${name}: ${posts.length} posts, ${posts.length - ok} 429s, share ${(((ok - 1) / ((last - t0) / 1000) / ceiling) * 100).toFixed(1)}%`,
    );
    for (let from = 0; from < last - t0 + binMs; from += binMs) {
      const bin = posts.filter((p) => p.atMs - t0 >= from && p.atMs - t0 < from + binMs);
      const pace = paces
        .filter((p) => p.atMs - t0 < from + binMs)
        .at(-1)
        ?.pace.toFixed(2);
      const gaps = bin.slice(1).map((p, i) => p.atMs - bin[i]!.atMs);
      const maxGap = gaps.length ? Math.max(...gaps).toFixed(0) : '-';
      const minGap = gaps.length ? Math.min(...gaps).toFixed(1) : '-';
      console.log(
        `${String(from).padStart(7)} ok ${bin.filter((p) => p.status === 200).length} 429 ${bin.filter((p) => p.status === 429).length} pace ${pace} gaps ${minGap}..${maxGap}`,
      );
    }
    if (process.env.TRACE_ALL)
      for (const p of posts)
        console.log(`${(p.atMs - t0).toFixed(1)} ${p.status} ${p.outcome ?? ''}`);
  } finally {
    await box.stop();
  }
}

void main();
