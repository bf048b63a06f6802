import { fullJitterDelayMs, type BackoffOptions } from '../../../../core/engine/throttle/backoff';
import type { Clock } from '../../../../core/engine/throttle/clock';
import { OrgLimiter, type OrgLimiterOptions } from '../../../../core/engine/throttle/org-limiter';
import type { GenesysCall } from '../../../../core/genesys/http/advice';
import { callFeedback } from '../../../../core/genesys/http/gate-feedback';
import type { HttpAnswer } from '../../../../core/genesys/http/response-policy';
import { LayeredRateLimiter } from '../../../../core/sandbox/limits/layered-limiter';
import type { FaultConfig, LimitLayerConfig, RetryAfterMode } from '../../../../core/sandbox/types';
import { FakeClock } from '../fake-clock';
import { MachineStalls, type StallOptions } from './machine-stalls';
import { SimulatedFaults } from './simulated-faults';

/** What the simulated upload measured. */
export interface SimulationResult {
  /**
   * Send time of every request; `ok` unless it drew a 429; `passedLimits` when the limits let it
   * through (neither a 429 nor an expired token's 401), whatever fault followed; `stored` when it
   * stored a batch not stored before (an answer lost after the commit stores it, and its resend
   * stores nothing new).
   */
  requests: {
    sentAtMs: number;
    ok: boolean;
    passedLimits: boolean;
    stored: boolean;
    pacePerSecond: number;
    /** When it reached the server (after a cold connection's lag or a stall), as `sentAtMs`. */
    arrivedAtMs: number;
    /** Whether the server stored its batch (a first store or a resend's copy), as the bench reads it. */
    storing: boolean;
  }[];
  limiter: OrgLimiter;
  clock: FakeClock;
}

/** How a simulated upload runs. */
export interface SimulationOptions {
  layers: LimitLayerConfig[];
  retryAfterMode: RetryAfterMode;
  /** The floor of a `long` Retry-After, seconds (default 45). */
  retryAfterLongSeconds?: number;
  /** How long one of the server's seconds lasts, ms (`SandboxConfig.secondMs`; default 1000). */
  secondMs?: number;
  /**
   * Simulated time to run, milliseconds; with `storeAll`, the most it may take (the run stops
   * there even with batches left).
   */
  durationMs: number;
  /**
   * The run has exactly `totalRequests` batches to store: a worker takes the next one only while
   * some are left untaken, keeps it through its 429s and faults until a request stores it, and
   * stops when none are left, as UploadRun's workers do; the run ends when every worker has. The
   * bench's way (its score reads the span until the last batch stored). Without it the workers
   * never run out of work and the run lasts `durationMs`.
   */
  storeAll?: boolean;
  /** Server time per request, milliseconds. */
  latencyMs?: number;
  /**
   * The requests the run has to store, as UploadRun tells its limiter (`OrgLimiter.registerWork`):
   * that count less the batches stored so far; unknown (nothing registered) if undefined.
   */
  totalRequests?: number;
  /** Requests a run keeps waiting on the limiter (UploadRun's workers). */
  workers?: number;
  /** Seed of the limiter's jitter. */
  seed?: number;
  limiter?: Partial<OrgLimiterOptions>;
  /** Published per-minute limit to seed from (the limits API), if any. */
  seedPerMinute?: number;
  /**
   * How long before the first upload request a limits read reaches the server, ms, on the
   * server only (it spends the reported window's budget, the limiter never hears of it; the pace
   * is seeded from `seedPerMinute` at the start); none if undefined. A sender that reads the
   * limits outside the limiter (the bench's AIMD). The product's way is `sessionReads`.
   */
  limitsReadLeadMs?: number;
  /**
   * The reads a run makes before its first upload, as `openRunSession` makes them
   * (core/engine/run/run-session.ts): the contact list (`list`; unless the caller passed it),
   * then the limits, each through the limiter as `GenesysHttp` sends it (a permit, the server's
   * admission when the read arrives, the answer after the latency, the limiter told what the
   * answer taught, a 429 resent once the limiter lets it), the pace seeded from `seedPerMinute`
   * once the limits read is answered, and the uploads starting `sessionOpenMs` after that (the
   * session opening). The result's time 0 is then the first upload's send, as the bench scores
   * from the first upload; the server's clock reads `serverClockOffsetMs` when the reads start.
   * `listGapMs` (0 if undefined) passes between the list read's answer and the limits read's
   * request: a cold client's first pass through the limits reader.
   */
  sessionReads?: { list: boolean; sessionOpenMs: number; listGapMs?: number };
  /**
   * A less ideal machine, seeded: each answer takes up to this much longer than `latencyMs`,
   * and each of the limiter's sleeps fires up to `timerLateMs` late (a loaded box), ms.
   */
  latencyJitterMs?: number;
  timerLateMs?: number;
  /**
   * Event-loop stalls (`MachineStalls`), seeded: the client's delay its timers and its reading
   * of answers, the server's delay a request's arrival (so its admission) and its answer.
   */
  stalls?: StallOptions;
  /**
   * The server's clock reading when the upload starts, ms (default 0). A real Sandbox reads the
   * wall clock, so a layer whose buckets are aligned to the clock (the sliding-window counter)
   * meets the first request at an arbitrary phase of its bucket; at 0 every run starts on a
   * bucket boundary, one phase out of many, and the engine's first losses always land alike.
   */
  serverClockOffsetMs?: number;
  /**
   * The Sandbox's faults (core/sandbox/faults.ts), drawn as its pipeline draws them; each worker
   * then resends its batch as the engine does (batch-retry.ts): at once after a 429 or a 401
   * (with a new token), after `retryBackoff`'s full jitter after a 5xx or a lost answer.
   */
  faults?: FaultConfig;
  /**
   * How much later than a warm one the first upload request reaches the server, ms (default
   * 0): the client opens its connection and runs the request path cold. The hidden layers'
   * windows open with that arrival, so they open this much later than the client's pacing and
   * the limits read's reported window assume.
   */
  firstRequestLagMs?: number;
  /** The client's request timeout (a `timeout` fault's answer never comes), ms; default 2000. */
  timeoutMs?: number;
  retryBackoff?: BackoffOptions;
}

const ROUTE = 'POST /api/v2/outbound/contactlists/{id}/contacts';
const LIMITS_ROUTE = 'GET /api/v2/organizations/limits/namespaces/{ns}';
const LIST_ROUTE = 'GET /api/v2/outbound/contactlists/{id}';

/**
 * An upload against the Sandbox's own layered limiter, on a fake clock: workers acquire a
 * permit, the "server" admits or refuses the request at the clock reading it arrives at (with
 * the same headers and Retry-After the Sandbox would send), answers after `latencyMs`, and the
 * worker hands the answer back. No sockets and no wall-clock: thousands of requests run in
 * milliseconds and every run with the same seed is the same.
 */
export async function simulateUpload(options: SimulationOptions): Promise<SimulationResult> {
  const clock = new FakeClock();
  let state = options.seed ?? 7;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  // a second generator for the machine's noise, so the limiter's jitter draws stay the same
  let noiseState = (options.seed ?? 7) * 31 + 17;
  const noise = (): number => {
    noiseState = (noiseState * 1_103_515_245 + 12_345) % 2_147_483_648;
    return noiseState / 2_147_483_648;
  };
  const timerLateMs = options.timerLateMs ?? 0;
  const stallSeed = (options.seed ?? 7) * 131 + 5;
  const clientStalls = options.stalls
    ? new MachineStalls(options.stalls, lcg(stallSeed))
    : undefined;
  const serverStalls = options.stalls
    ? new MachineStalls(options.stalls, lcg(stallSeed * 17 + 3))
    : undefined;
  /** How long until the client runs something due `delayMs` from now (late, or after a stall). */
  const clientDelayMs = (delayMs: number): number => {
    const dueMs = clock.nowMs() + delayMs + noise() * timerLateMs;
    return (clientStalls?.runsAt(dueMs) ?? dueMs) - clock.nowMs();
  };
  const limiterClock: Clock =
    timerLateMs > 0 || clientStalls
      ? {
          nowMs: () => clock.nowMs(),
          sleep: (delayMs, signal) => clock.sleep(clientDelayMs(delayMs), signal),
          // the pump's wakeable sleep, late the same way, without an AbortController per sleep
          sleepWakeably: (delayMs) => clock.sleepWakeably(clientDelayMs(delayMs)),
        }
      : clock;
  const limiter = new OrgLimiter({ clock: limiterClock, random, ...options.limiter });
  if (options.seedPerMinute && !options.sessionReads) limiter.seedFromLimit(options.seedPerMinute);
  const server = new LayeredRateLimiter(
    options.layers,
    options.retryAfterMode,
    options.retryAfterLongSeconds ?? 45,
    options.secondMs,
  );
  const latencyMs = options.latencyMs ?? 20;
  const offsetMs = options.serverClockOffsetMs ?? 0;
  if (options.limitsReadLeadMs !== undefined) {
    // a limits read outside the limiter reaches the server first: it opens the reported
    // per-client window and spends one request of it
    const read = server.admit(
      { clientId: 'c1', orgId: 'o1', route: LIMITS_ROUTE },
      offsetMs - options.limitsReadLeadMs,
    );
    if (read.admitted) read.release();
  }
  /** One read through the limiter, as `GenesysHttp` sends it, resent after a 429. */
  const gatedRead = async (route: string, call: GenesysCall): Promise<void> => {
    for (;;) {
      const permit = await limiter.acquire();
      if (!permit) return;
      const arrivalMs = serverStalls?.runsAt(clock.nowMs()) ?? clock.nowMs();
      if (arrivalMs > clock.nowMs()) await clock.sleep(arrivalMs - clock.nowMs());
      const admission = server.admit(
        { clientId: 'c1', orgId: 'o1', route },
        clock.nowMs() + offsetMs,
      );
      const answerMs = latencyMs + noise() * (options.latencyJitterMs ?? 0);
      const sentMs = serverStalls?.runsAt(clock.nowMs() + answerMs) ?? clock.nowMs() + answerMs;
      await clock.sleep((clientStalls?.runsAt(sentMs) ?? sentMs) - clock.nowMs());
      if (admission.admitted) admission.release();
      const answer: HttpAnswer = {
        kind: 'response',
        status: admission.admitted ? 200 : 429,
        headers: {
          ...answerHeaders(admission),
          ...(!admission.admitted && admission.retryAfterSeconds !== undefined
            ? { 'retry-after': String(admission.retryAfterSeconds) }
            : {}),
        },
        bodyText: admission.admitted ? '{}' : retryMessage(admission.bodyRetryAfterSeconds),
        latencyMs: clock.nowMs() - permit.sentAtMs,
      };
      limiter.complete(permit, callFeedback(answer, call));
      if (admission.admitted) return;
    }
  };
  const reads = options.sessionReads;
  if (reads) {
    // the session's reads, then its opening; the uploads start when it is open
    let opened = false;
    void (async () => {
      if (reads.list) await gatedRead(LIST_ROUTE, 'list');
      if (reads.list && reads.listGapMs) await clock.sleep(reads.listGapMs);
      await gatedRead(LIMITS_ROUTE, 'limits');
      if (options.seedPerMinute) limiter.seedFromLimit(options.seedPerMinute);
      await clock.sleep(reads.sessionOpenMs);
      opened = true;
    })();
    while (!opened) await clock.advanceTo(clock.nowMs() + 1);
  }
  /** When the first upload left (time 0 of the result), clock ms; undefined until it has. */
  let uploadsFromMs: number | undefined = reads ? undefined : 0;
  const requests: SimulationResult['requests'] = [];
  let stop = false;
  const faults = options.faults
    ? new SimulatedFaults(options.faults, options.seed ?? 7)
    : undefined;
  const retryBackoff = options.retryBackoff ?? { baseDelayMs: 250, maxDelayMs: 15_000 };
  let cold = true;
  const work =
    options.totalRequests !== undefined ? limiter.registerWork(options.totalRequests) : undefined;
  let storedCount = 0;
  /** Batches no worker has taken yet (`storeAll`). */
  let untaken = options.totalRequests ?? 0;
  const worker = async (): Promise<void> => {
    // the worker's batch: stored already by a request whose answer was lost, and its retries
    let committed = false;
    let retryAttempt = 0;
    /** Whether this worker holds a batch not yet stored (`storeAll`). */
    let holding = false;
    while (!stop) {
      if (options.storeAll && !holding) {
        if (untaken <= 0) return;
        untaken -= 1;
        holding = true;
      }
      const permit = await limiter.acquire();
      if (!permit) return;
      uploadsFromMs ??= permit.sentAtMs;
      const token = faults?.token() ?? 0;
      if (faults?.expired(token)) {
        requests.push({
          sentAtMs: permit.sentAtMs - (uploadsFromMs ?? 0),
          ok: true,
          passedLimits: false,
          stored: false,
          pacePerSecond: limiter.pacingRatePerSecond(),
          arrivedAtMs: permit.sentAtMs - (uploadsFromMs ?? 0),
          storing: false,
        });
        await clock.sleep(latencyMs + noise() * (options.latencyJitterMs ?? 0));
        faults.refresh(token);
        limiter.complete(permit, { signal: 'other', latencyMs: clock.nowMs() - permit.sentAtMs });
        continue;
      }
      // the first request arrives late (a cold connection); a stalled server reads a request
      // when the stall ends
      const lagMs = cold ? (options.firstRequestLagMs ?? 0) : 0;
      cold = false;
      const arrivalMs = serverStalls?.runsAt(clock.nowMs() + lagMs) ?? clock.nowMs() + lagMs;
      if (arrivalMs > clock.nowMs()) await clock.sleep(arrivalMs - clock.nowMs());
      const admission = server.admit(
        { clientId: 'c1', orgId: 'o1', route: ROUTE },
        clock.nowMs() + offsetMs,
      );
      const drawn = faults && admission.admitted ? faults.admitted() : undefined;
      const fault = drawn?.fault.kind ?? 'none';
      const stores = admission.admitted && (fault === 'none' || fault === 'commit-then-drop');
      requests.push({
        sentAtMs: permit.sentAtMs - (uploadsFromMs ?? 0),
        ok: admission.admitted,
        passedLimits: admission.admitted,
        stored: stores && !committed,
        pacePerSecond: limiter.pacingRatePerSecond(),
        arrivedAtMs: clock.nowMs() - (uploadsFromMs ?? 0),
        storing: stores,
      });
      const answerMs =
        fault === 'timeout'
          ? (options.timeoutMs ?? 2000)
          : latencyMs + noise() * (options.latencyJitterMs ?? 0) + (drawn?.extraLatencyMs ?? 0);
      // the server answers when its loop runs, the client reads the answer when its loop does
      const sentMs = serverStalls?.runsAt(clock.nowMs() + answerMs) ?? clock.nowMs() + answerMs;
      const readMs = clientStalls?.runsAt(sentMs) ?? sentMs;
      await clock.sleep(readMs - clock.nowMs());
      if (admission.admitted) admission.release();
      if (stores && !committed && options.totalRequests !== undefined) {
        storedCount += 1;
        work?.update(options.totalRequests - storedCount);
      }
      // a 5xx carries the limits' headers like any answer; a lost answer carries nothing
      const answered = fault === 'none' || drawn?.fault.kind === 'status';
      const headers = answered ? answerHeaders(admission) : {};
      const retryAfterSeconds = admission.admitted
        ? undefined
        : (admission.retryAfterSeconds ?? admission.bodyRetryAfterSeconds);
      limiter.complete(permit, {
        signal: !admission.admitted ? 'throttled' : fault === 'none' ? 'ok' : 'other',
        // as batch-attempt.ts tells it: a fault after the limits spent their budget (a
        // timeout's news comes too late to count)
        ...(admission.admitted && fault !== 'none' && fault !== 'timeout'
          ? { passedLimits: true }
          : {}),
        headers,
        latencyMs: clock.nowMs() - permit.sentAtMs,
        ...(retryAfterSeconds !== undefined ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
      });
      if (!admission.admitted) continue;
      if (fault === 'none') {
        committed = false;
        retryAttempt = 0;
        holding = false;
        continue;
      }
      if (fault === 'commit-then-drop') committed = true;
      const draw = faults ? () => faults.draw() : random;
      await clock.sleep(fullJitterDelayMs(retryAttempt, retryBackoff, draw));
      retryAttempt += 1;
    }
  };
  let finished = 0;
  const workers = Array.from({ length: options.workers ?? 8 }, () =>
    worker().finally(() => {
      finished += 1;
    }),
  );
  while (uploadsFromMs === undefined) await clock.advanceTo(clock.nowMs() + 1);
  if (options.storeAll) {
    // until every batch is stored (each worker out of work), at most `durationMs`
    const capMs = uploadsFromMs + options.durationMs;
    while (finished < workers.length && clock.nowMs() < capMs) {
      await clock.advanceTo(Math.min(capMs, clock.nowMs() + 100));
    }
  } else await clock.advanceTo(uploadsFromMs + options.durationMs);
  stop = true;
  work?.withdraw();
  await clock.advanceTo(uploadsFromMs + options.durationMs + 600_000);
  await Promise.all(workers);
  const kept = options.storeAll
    ? requests
    : requests.filter((r) => r.sentAtMs < options.durationMs);
  return { requests: kept, limiter, clock };
}

/** The `inin-ratelimit-*` headers the Sandbox sends with an answer (none for a layer not reported). */
function answerHeaders(admission: {
  headers: { allowed: number; count: number; resetSeconds: number } | undefined;
}): Record<string, string> {
  if (!admission.headers) return {};
  return {
    'inin-ratelimit-allowed': String(admission.headers.allowed),
    'inin-ratelimit-count': String(admission.headers.count),
    'inin-ratelimit-reset': String(admission.headers.resetSeconds),
  };
}

/** A 429's body, stating the wait as Genesys words it when the Sandbox puts it there. */
function retryMessage(seconds: number | undefined): string {
  const wait = seconds === undefined ? '' : ` Retry the request in [${seconds}] seconds`;
  return JSON.stringify({ message: `Rate limit exceeded the maximum.${wait}` });
}

/** Admitted requests per second between `fromMs` and `toMs`. */
export function admittedRate(result: SimulationResult, fromMs: number, toMs: number): number {
  const admitted = result.requests.filter((r) => r.ok && r.sentAtMs >= fromMs && r.sentAtMs < toMs);
  return admitted.length / ((toMs - fromMs) / 1000);
}

/** Share of requests refused with 429 between `fromMs` and `toMs`. */
export function throttledShare(result: SimulationResult, fromMs = 0, toMs = Infinity): number {
  const span = result.requests.filter((r) => r.sentAtMs >= fromMs && r.sentAtMs < toMs);
  return span.filter((r) => !r.ok).length / Math.max(1, span.length);
}

/** A seeded linear congruential generator in [0, 1) (the same as the limiter's jitter uses). */
function lcg(seed: number): () => number {
  let state = seed % 2_147_483_648;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
