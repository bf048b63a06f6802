// The senders the upload bench compares, each uploading `count` contacts in batches of BATCH to
// one Sandbox list and returning what it saw. Every sender retries with deterministic contact
// ids except the field recipe, which reproduces the field report (no ids, 5 attempts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchBody, contactJson } from '../../../core/engine/contacts/batcher';
import { UploadRun } from '../../../core/engine/contacts/contacts-run';
import {
  createFetchTransport,
  type ContactsTransport,
} from '../../../core/engine/contacts/transport';
import { fetchPublishedRatePerMinute } from '../../../core/engine/limits-seed';
import { fullJitterDelayMs } from '../../../core/engine/throttle/backoff';
import { OrgLimiter } from '../../../core/engine/throttle/org-limiter';
import { readContactListJson } from '../../../core/genesys/contact-list-reader';
import { readPublishedRatePerMinute } from '../../../core/genesys/org-limits';
import { parseRetryAfterFromMessage } from '../../../core/engine/throttle/retry-after-message';
import type { PendingRow, SourceRow } from '../../../core/engine/types';
import { createClientCredentialsTokenSource } from '../../../core/genesys/client-credentials';
import type { TokenSource } from '../../../core/genesys/token-source';
import { parseRetryAfterMs } from '../../../core/genesys/http/rate-limit-headers';
import { BATCH, SCALED_LIMITER, SCALED_RETRY_BACKOFF, TIME_SCALE } from './cells';

export type SenderName = 'sluice' | 'aimd' | 'oracle' | 'field-recipe';

/** Where a sender uploads. */
export interface Target {
  url: string;
  org: { name: string; clientId: string; clientSecret: string };
  listId: string;
  count: number;
  /** The oracle's knowledge: the binding rate at `elapsedMs` after its first request, requests per second. */
  bindingRateAt?: (elapsedMs: number) => number;
  /** The oracle's knowledge of a concurrency cap: requests in flight at most. */
  maxInFlight?: number;
  /** Scaled client request timeout, ms. */
  timeoutMs: number;
}

/** What a sender reports (the Sandbox's side is read separately, and is what the bench scores). */
export interface SenderResult {
  /** The client's own wall time, setup included: informative only, throughput is measured on the Sandbox. */
  elapsedMs: number;
  requests: number;
  throttled: number;
}

function contact(n: number): { id: string; data: Record<string, string> } {
  return {
    id: `K-${n}`,
    data: {
      Key: `K-${n}`,
      FirstName: `First${n}`,
      LastName: `Last${n}`,
      HomePhone: `+1317${2000000 + n}`,
    },
  };
}

async function* rows(count: number): AsyncGenerator<SourceRow> {
  for (let n = 1; n <= count; n += 1) yield { rowNumber: n, ok: true, contact: contact(n) };
}

function bodies(listId: string, count: number, withIds: boolean): string[] {
  const out: string[] = [];
  for (let first = 1; first <= count; first += BATCH) {
    const pending: PendingRow[] = [];
    for (let n = first; n < first + BATCH && n <= count; n += 1) {
      const c = contact(n);
      const json = withIds
        ? contactJson(listId, c)
        : JSON.stringify({ contactListId: listId, data: c.data });
      pending.push({ rowNumber: n, contact: c, json });
    }
    out.push(batchBody(pending));
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tokens(target: Target) {
  return createClientCredentialsTokenSource({
    apiUrl: target.url,
    clientId: target.org.clientId,
    clientSecret: target.org.clientSecret,
  });
}

/** The wait a 429 asks for: the header, else the N of the body's message (ms). */
function askedWaitMs(
  headers: Record<string, string | undefined>,
  bodyText: string,
): number | undefined {
  const header = parseRetryAfterMs(headers['retry-after']);
  if (header !== undefined) return header;
  try {
    const body = JSON.parse(bodyText) as { message?: string };
    return parseRetryAfterFromMessage(body.message);
  } catch {
    return undefined;
  }
}

/**
 * The reads a run's session makes before its first upload (core/engine/run/run-session.ts): the
 * contact list, then the org's limits, both through the org's limiter with the product's
 * readers; the pace is seeded from the limits. The bench's Sluice and trace-cell.ts open this way.
 */
export async function readAsSessionOpens(
  limiter: OrgLimiter,
  target: { apiUrl: string; tokenSource: TokenSource; contactListId: string },
): Promise<void> {
  await readContactListJson({ ...target, gate: limiter });
  const perMinute = await readPublishedRatePerMinute({
    apiUrl: target.apiUrl,
    tokenSource: target.tokenSource,
    gate: limiter,
  });
  if (perMinute) limiter.seedFromLimit(perMinute);
}

/**
 * Sluice: the engine with its defaults (10% headroom), its time constants scaled like the
 * Sandbox. It opens its session as the product does (core/engine/run/run-session.ts): the list
 * read, then the limits read, both through the org's limiter with the product's readers, and
 * seeds the pace from the limits before the first upload.
 */
export async function runSluice(
  target: Target,
  transport?: ContactsTransport,
): Promise<SenderResult> {
  const tokenSource = tokens(target);
  const limiter = new OrgLimiter(SCALED_LIMITER);
  // the token first, as every sender gets it before its first request
  await tokenSource.getAccessToken();
  const started = performance.now();
  await readAsSessionOpens(limiter, {
    apiUrl: target.url,
    tokenSource,
    contactListId: target.listId,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  try {
    const run = new UploadRun({
      runId: 'bench',
      runDir: dir,
      orgName: target.org.name,
      contactListId: target.listId,
      source: () => rows(target.count),
      // the bench knows its row count, as a caller that counted the file does: the limiter
      // prices its probes by the requests left (docs/ARCHITECTURE.md, "Probes priced by the work left")
      totalRows: target.count,
      limiter,
      tokenSource,
      transport:
        transport ?? createFetchTransport({ apiUrl: target.url, timeoutMs: target.timeoutMs }),
      batchLimits: { maxContacts: BATCH },
      retryBackoff: SCALED_RETRY_BACKOFF,
    });
    const summary = await run.start();
    if (!summary.invariant.holds)
      throw new Error(`invariant broken: ${summary.invariant.problems.join('; ')}`);
    return {
      elapsedMs: performance.now() - started,
      requests: summary.requests,
      throttled: summary.throttled,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How a paced sender paces and reacts. */
interface PaceOptions {
  /** Requests per second at `elapsedMs` after the sender's first request. */
  rateAt: (elapsedMs: number) => number;
  /** Hears every answer (ok, or a 429 with the wait it asked for) and returns an org-wide wait, ms. */
  onAnswer: (ok: boolean, throttled: boolean, askedMs: number | undefined) => number;
  /** Requests in flight at most. */
  maxInFlight?: number;
}

/**
 * A paced sender with ids that retries forever. It keeps an absolute schedule (each slot one
 * interval after the last one, not one interval after the send ran), so timer lateness does not
 * make it slower than its rate; a send later than a whole interval (a wait, a stall, the
 * in-flight cap) starts the schedule afresh from now instead of bursting to catch up.
 */
async function pacedSender(target: Target, pace: PaceOptions): Promise<SenderResult> {
  const tokenSource = tokens(target);
  const transport = createFetchTransport({ apiUrl: target.url, timeoutMs: target.timeoutMs });
  const maxInFlight = pace.maxInFlight ?? 32;
  const queue = bodies(target.listId, target.count, true);
  let outstanding = queue.length;
  let requests = 0;
  let throttled = 0;
  let blockedUntil = 0;
  const inFlight = new Set<Promise<void>>();
  // the token comes first so that the schedule's time zero is the first POST, as the Sandbox's is
  await tokenSource.getAccessToken();
  const started = performance.now();
  let originMs: number | undefined;
  let slotMs: number | undefined;
  while (outstanding > 0) {
    const now = performance.now();
    if (now < blockedUntil) {
      await sleep(blockedUntil - now);
      continue;
    }
    if (slotMs !== undefined && now < slotMs) {
      await sleep(slotMs - now);
      continue;
    }
    if (queue.length === 0 || inFlight.size >= maxInFlight) {
      if (inFlight.size === 0) throw new Error('paced sender: rows outstanding but none queued');
      await Promise.race(inFlight);
      continue;
    }
    const body = queue.shift() as string;
    originMs ??= now;
    const intervalMs = 1000 / Math.max(0.1, pace.rateAt((slotMs ?? now) - originMs));
    slotMs = (slotMs !== undefined && now - slotMs < intervalMs ? slotMs : now) + intervalMs;
    requests += 1;
    const send = (async () => {
      const token = await tokenSource.getAccessToken();
      const result = await transport.postContacts({
        contactListId: target.listId,
        bodyJson: body,
        accessToken: token,
      });
      const ok = result.kind === 'response' && result.status < 300;
      const is429 = result.kind === 'response' && result.status === 429;
      if (ok) outstanding -= 1;
      else queue.push(body);
      if (is429) throttled += 1;
      if (result.kind === 'response' && result.status === 401) tokenSource.invalidate(token);
      const asked =
        is429 && result.kind === 'response'
          ? askedWaitMs(result.headers, result.bodyText)
          : undefined;
      const waitMs = pace.onAnswer(ok, is429, asked);
      if (waitMs > 0) blockedUntil = Math.max(blockedUntil, performance.now() + waitMs);
    })();
    inFlight.add(send);
    void send.finally(() => inFlight.delete(send));
  }
  await Promise.all(inFlight);
  return { elapsedMs: performance.now() - started, requests, throttled };
}

/**
 * The plain baseline: pace at a rate, +1% of the start rate per success, ×0.8 per 429, wait
 * max(Retry-After, full jitter), knowing nothing of the limit beyond the published one.
 */
export async function runAimd(target: Target): Promise<SenderResult> {
  const tokenSource = tokens(target);
  const perMinute = await fetchPublishedRatePerMinute({
    apiUrl: target.url,
    accessToken: await tokenSource.getAccessToken(),
  });
  const start = (perMinute ?? 600) / 60;
  let rate = start;
  let consecutive = 0;
  const backoff = { baseDelayMs: 500 / TIME_SCALE, maxDelayMs: 30_000 / TIME_SCALE };
  return pacedSender(target, {
    rateAt: () => rate,
    onAnswer: (ok, throttled, askedMs) => {
      if (ok) {
        rate += start / 100;
        consecutive = 0;
        return 0;
      }
      if (!throttled) return fullJitterDelayMs(consecutive++, backoff);
      rate = Math.max(0.2, rate * 0.8);
      return Math.max(askedMs ?? 0, fullJitterDelayMs(consecutive++, backoff));
    },
  });
}

/** Share of the binding rate the oracle paces at (see runOracle). */
export const ORACLE_PACE_SHARE = Number(process.env.UPLOAD_BENCH_ORACLE_SHARE ?? 1);

/**
 * The upper reference: a fixed-rate sender told the binding rate over time (and a concurrency
 * cap's in-flight limit), pacing at it from its first request, as the Sandbox's schedule runs
 * from its first request. A 429 costs it the slot and nothing more: it knows the rate, so it
 * keeps its beat and re-sends the batch in a later slot rather than waiting out a Retry-After
 * written for someone who does not.
 */
export async function runOracle(target: Target): Promise<SenderResult> {
  const rateAt = target.bindingRateAt ?? (() => 10);
  return pacedSender(target, {
    rateAt: (elapsedMs) => rateAt(elapsedMs) * ORACLE_PACE_SHARE,
    onAnswer: () => 0,
    ...(target.maxInFlight ? { maxInFlight: target.maxInFlight } : {}),
  });
}

/** The field report's recipe: no ids, one request at a time, wait_exponential(2 s..30 s) without jitter, 5 attempts. */
export async function runFieldRecipe(target: Target): Promise<SenderResult> {
  const tokenSource = tokens(target);
  const transport = createFetchTransport({ apiUrl: target.url, timeoutMs: target.timeoutMs });
  let requests = 0;
  let throttled = 0;
  const started = performance.now();
  for (const body of bodies(target.listId, target.count, false)) {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      requests += 1;
      const token = await tokenSource.getAccessToken();
      const result = await transport.postContacts({
        contactListId: target.listId,
        bodyJson: body,
        accessToken: token,
      });
      if (result.kind === 'response' && result.status < 300) break;
      if (result.kind === 'response' && result.status === 429) throttled += 1;
      if (result.kind === 'response' && result.status === 401) tokenSource.invalidate(token);
      if (attempt < 5) await sleep(Math.min(Math.max(2 ** attempt, 2), 30) * (1000 / TIME_SCALE));
    }
  }
  return { elapsedMs: performance.now() - started, requests, throttled };
}

export const SENDERS: Record<SenderName, (target: Target) => Promise<SenderResult>> = {
  sluice: (target) => runSluice(target),
  aimd: runAimd,
  oracle: runOracle,
  'field-recipe': runFieldRecipe,
};
