// The upload bench's matrix: named cells drawn from the Sandbox's limiter family, plus cells
// drawn at random on every run (seeded). Everything is in scaled time: a Genesys minute-long
// window with a 300 budget becomes a 2 s window with a 40 budget (same shape, ×1/15 rate-
// preserving scale of budget and window, then time sped up), so 300+ requests span many
// windows and the first window's burst is noise. The Sandbox's seconds (Retry-After, the 429
// message's wait, inin-ratelimit-reset) are scaled as the engine's time constants are
// (SANDBOX_SECOND_MS): a wait in whole seconds then keeps about its real proportion to the
// windows (a 1 s floor is a 30th of the 2 s reported window here, a 60th of a real minute).
// Unscaled, a 1 s floor would be half that window, and every honoured 429 would cost far more
// here than on a real org.
import type { BackoffOptions } from '../../../core/engine/throttle/backoff';
import type { OrgLimiterOptions } from '../../../core/engine/throttle/org-limiter';
import type {
  DeepPartial,
  LimitLayerConfig,
  RetryAfterMode,
  SandboxConfig,
} from '../../../core/sandbox';
import { POST_CONTACTS_ROUTE } from '../../../core/sandbox';
import { createRandom } from '../../../core/sandbox/rng';
import { PER_CLIENT_300_PER_MINUTE } from '../../../core/sandbox/scenarios';

/** Real seconds per scaled second for the engine's time constants (backoff, caps, periods). */
export const TIME_SCALE = 15;
/** One second of the Sandbox's waits and resets (`SandboxConfig.secondMs`), milliseconds. */
export const SANDBOX_SECOND_MS = 1000 / TIME_SCALE;
/** Sluice's limiter at the bench's scale: the engine's time constants divided by TIME_SCALE. */
export const SCALED_LIMITER = {
  backoff: { baseDelayMs: 500 / TIME_SCALE, maxDelayMs: 30_000 / TIME_SCALE },
  maxRetryAfterMs: 120_000 / TIME_SCALE,
  minLimitPeriodMs: 1000 / TIME_SCALE,
} satisfies Partial<OrgLimiterOptions>;
/**
 * A simulated upload (tests/unit/engine/throttle/simulated-org.ts) at the bench's scale, as
 * simulate-matrix runs a cell: the Sandbox's second, the published 1200 per minute (the reported
 * 40 per 2 s), 5 ms answers and the engine's scaled constants.
 */
export const SIMULATED_AT_BENCH_SCALE = {
  secondMs: SANDBOX_SECOND_MS,
  seedPerMinute: 1200,
  latencyMs: 5,
  limiter: SCALED_LIMITER,
};
/** Sluice's retry backoff for 5xx and lost answers at the bench's scale. */
export const SCALED_RETRY_BACKOFF = {
  baseDelayMs: 500 / TIME_SCALE,
  maxDelayMs: 10_000 / TIME_SCALE,
} satisfies BackoffOptions;
/** Contacts per request, every sender. */
export const BATCH = 20;

/** One cell: a Sandbox configuration and what its binding ceiling is. */
export interface Cell {
  name: string;
  /** What it stands for in unscaled Genesys terms. */
  note: string;
  layers: LimitLayerConfig[];
  retryAfterMode: RetryAfterMode;
  retryAfterLongSeconds?: number;
  faults?: DeepPartial<SandboxConfig['faults']>;
  /** Requests to send (≥ 300 and ≥ 8 windows of the binding layer). */
  requests: number;
  /**
   * The binding rate at `elapsedMs` after the schedule's origin, requests per second (the oracle
   * is told it). The origin is the Sandbox's: the first request the scheduled layer saw (see
   * `scheduleStartsAtFirstPost`), since background curves and limit changes run from there.
   */
  bindingRateAt: (elapsedMs: number) => number;
  /** The binding layer caps requests in flight (a concurrency cap): the oracle keeps at most this many. */
  maxInFlight?: number;
  /** Whether the reported layer binds throughout (then the ceiling leaves the 10% headroom). */
  reportedBinds: boolean;
  /**
   * The ceiling at `elapsedMs`, for a cell where the binding layer changes over time (a hidden
   * layer near the reported rate that halves, or a background consumer that swings): the
   * reported layer less its 10% headroom while it binds, the hidden layer while that binds.
   * Without it the ceiling is `bindingRateAt`, less the headroom when `reportedBinds`.
   */
  ceilingAt?: (elapsedMs: number) => number;
  random?: boolean;
}

/** The reported per-client layer: 300 per minute, scaled to 40 per 2 s (20/s). */
export const REPORTED: LimitLayerConfig = {
  ...PER_CLIENT_300_PER_MINUTE,
  requests: 40,
  windowMs: 2000,
};
/** A hidden per-client cap of one request in flight (the concurrency cell's). */
export const ONE_IN_FLIGHT: LimitLayerConfig = {
  name: 'concurrent.requests (hidden)',
  scope: 'client',
  requests: 1,
  windowMs: 1000,
  window: 'concurrency',
  reported: false,
};
const REPORTED_RATE = REPORTED.requests / (REPORTED.windowMs / 1000);

function hidden(extra: Partial<LimitLayerConfig>): LimitLayerConfig {
  return {
    name: 'contacts.upload.per.org (hidden)',
    scope: 'org',
    endpoint: POST_CONTACTS_ROUTE,
    requests: 24,
    windowMs: 2000,
    window: 'fixed',
    reported: false,
    ...extra,
  };
}

/** Requests for ≥ 300 and ≥ `windows` windows of a layer. */
function enough(layer: LimitLayerConfig, windows = 8): number {
  return Math.max(300, Math.ceil(windows * layer.requests));
}

function steady(layer: LimitLayerConfig): (elapsedMs: number) => number {
  return () => layer.requests / (layer.windowMs / 1000);
}

function hiddenCell(
  name: string,
  note: string,
  layer: LimitLayerConfig,
  retryAfterMode: RetryAfterMode,
  extra: Partial<Cell> = {},
): Cell {
  return {
    name,
    note,
    layers: [REPORTED, layer],
    retryAfterMode,
    requests: enough(layer),
    bindingRateAt: steady(layer),
    reportedBinds: false,
    ...extra,
  };
}

/** The flaky cells' faults: 5xx, resets, timeouts, commit-then-drop, token expiry, a long tail. */
export const FLAKY_FAULTS: DeepPartial<SandboxConfig['faults']> = {
  status500: 0.005,
  status502: 0.01,
  status503: 0.02,
  status504: 0.005,
  connectionReset: 0.01,
  timeout: 0.003,
  commitThenDrop: 0.02,
  latency: { minMs: 5, maxMs: 40, spikeProbability: 0.01, spikeMs: 400 },
  tokenExpiresAfterRequests: 100,
};

/** Background consumer: steady 8/s of a 20/s org budget (leaves 12/s). */
const BACKGROUND_ORG = hidden({
  requests: 40,
  background: { ratePerSecond: 8, amplitude: 0, periodMs: 20_000 },
});

/** The 24 named cells. */
export function namedCells(): Cell[] {
  const bucket = (burst: number) =>
    hidden({ window: 'token-bucket', requests: 12, windowMs: 1000, burst });
  const dropping = hidden({
    changes: [
      { afterMs: 12_000, requests: 12 },
      { afterMs: 28_000, requests: 24 },
    ],
  });
  const varying = hidden({
    requests: 40,
    background: { ratePerSecond: 8, amplitude: 0.75, periodMs: 16_000 },
  });
  return [
    {
      name: 'honest',
      note: 'only the reported 300/min layer; honest Retry-After',
      layers: [REPORTED],
      retryAfterMode: 'honest',
      requests: 400,
      bindingRateAt: () => REPORTED_RATE,
      reportedBinds: true,
    },
    hiddenCell(
      'field-report',
      'hidden per-org fixed window, 60% of reported; short Retry-After',
      hidden({}),
      'short',
    ),
    hiddenCell(
      'sliding log',
      'hidden sliding log, 60%; short Retry-After',
      hidden({ window: 'sliding' }),
      'short',
    ),
    hiddenCell(
      'sliding counter',
      'hidden sliding-window counter, 60%; short',
      hidden({ window: 'sliding-counter' }),
      'short',
    ),
    hiddenCell(
      'bucket, small burst',
      'hidden token bucket 12/s, burst 3; no Retry-After',
      bucket(3),
      'missing',
      { requests: 400 },
    ),
    hiddenCell(
      'bucket, big burst',
      'hidden token bucket 12/s, burst 24; short',
      bucket(24),
      'short',
      { requests: 400 },
    ),
    hiddenCell('GCRA, burst 1', 'hidden GCRA 12/s, no burst; honest', bucket(1), 'honest', {
      requests: 400,
    }),
    {
      name: 'concurrency cap',
      note: 'one request in flight per client, 60 ms each; honest Retry-After',
      layers: [REPORTED, ONE_IN_FLIGHT],
      retryAfterMode: 'honest',
      faults: { latency: { minMs: 60, maxMs: 60, spikeProbability: 0, spikeMs: 0 } },
      requests: 300,
      bindingRateAt: () => 1000 / 62,
      maxInFlight: 1,
      reportedBinds: false,
    },
    hiddenCell(
      '1 s window',
      'hidden fixed 1 s window (scaled 0.25 s); short',
      hidden({ requests: 3, windowMs: 250 }),
      'short',
      { requests: 400 },
    ),
    hiddenCell(
      '30 s window',
      'hidden fixed 30 s window (scaled 4 s); short',
      hidden({ requests: 48, windowMs: 4000 }),
      'short',
    ),
    hiddenCell(
      '120 s window',
      'hidden fixed 2 min window (scaled 8 s); short',
      hidden({ requests: 96, windowMs: 8000 }),
      'short',
    ),
    hiddenCell(
      'hidden 30%',
      'hidden fixed at 30% of reported; short',
      hidden({ requests: 12 }),
      'short',
    ),
    {
      ...hiddenCell(
        'hidden 100%',
        'hidden sliding log equal to reported; short',
        hidden({ requests: 40, window: 'sliding' }),
        'short',
      ),
      bindingRateAt: () => REPORTED_RATE,
      reportedBinds: true,
    },
    hiddenCell(
      'Retry-After long',
      'field-report with Retry-After ≥ 45 s (scaled 3 s)',
      hidden({}),
      'long',
      { retryAfterLongSeconds: 45 },
    ),
    hiddenCell(
      'Retry-After in body',
      'field-report, wait only in the 429 message',
      hidden({}),
      'message-only',
    ),
    hiddenCell('Retry-After missing', 'field-report without Retry-After', hidden({}), 'missing'),
    hiddenCell(
      'Retry-After honest',
      'field-report with an honest Retry-After',
      hidden({}),
      'honest',
    ),
    hiddenCell(
      'background steady',
      'org budget 100%, someone else steadily uses 40%; short',
      BACKGROUND_ORG,
      'short',
      {
        requests: 400,
        bindingRateAt: () => 12,
      },
    ),
    hiddenCell(
      'background varying',
      'as above, the other use swings 10%–70% over 16 s',
      varying,
      'short',
      {
        requests: 400,
        bindingRateAt: (elapsedMs) =>
          20 - 8 * (1 + 0.75 * Math.sin((2 * Math.PI * elapsedMs) / 16_000)),
      },
    ),
    hiddenCell(
      'limit drops and returns',
      'hidden 60% halves at 12 s, back at 28 s (another tool); short',
      dropping,
      'short',
      {
        requests: 450,
        bindingRateAt: (elapsedMs) => (elapsedMs >= 12_000 && elapsedMs < 28_000 ? 6 : 12),
      },
    ),
    hiddenCell(
      'per token',
      'hidden per-token fixed window, 60%; short',
      hidden({ scope: 'token', endpoint: undefined }),
      'short',
    ),
    hiddenCell(
      'per user, admin UI open',
      "per-user layer shared with the consultant's browser (3/s); short",
      hidden({
        scope: 'user',
        endpoint: undefined,
        requests: 30,
        background: { ratePerSecond: 3, amplitude: 0.5, periodMs: 10_000 },
      }),
      'short',
      {
        bindingRateAt: (elapsedMs) =>
          15 - 3 * (1 + 0.5 * Math.sin((2 * Math.PI * elapsedMs) / 10_000)),
      },
    ),
    {
      name: 'flaky',
      note: 'reported layer only, with 5xx, resets, timeouts, commit-then-drop, token expiry',
      layers: [REPORTED],
      retryAfterMode: 'honest',
      faults: FLAKY_FAULTS,
      requests: 400,
      bindingRateAt: () => REPORTED_RATE,
      reportedBinds: true,
    },
    hiddenCell(
      'flaky field-report',
      'field-report with the same faults on top',
      hidden({}),
      'short',
      { faults: FLAKY_FAULTS },
    ),
  ];
}

/** `count` cells drawn from the family with `seed`: shape, share, window, scope, Retry-After, background, drop. */
export function randomCells(seed: number, count: number): Cell[] {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const cells: Cell[] = [];
  for (let i = 0; i < count; i += 1) {
    const window = pick(['fixed', 'sliding', 'sliding-counter', 'token-bucket'] as const);
    const share = 0.3 + 0.7 * random(); // hidden rate as a share of the reported rate
    const windowMs = Math.round(250 * 32 ** random()); // 0.25 s to 8 s scaled (1 s to 2 min real)
    const rate = REPORTED_RATE * share;
    const requests = Math.max(2, Math.round((rate * windowMs) / 1000));
    const scope = pick(['org', 'client', 'token', 'user'] as const);
    const retryAfterMode = pick(['honest', 'short', 'missing', 'long', 'message-only'] as const);
    const withBackground = random() < 0.3;
    const backgroundRate = withBackground ? rate * (0.1 + 0.3 * random()) : 0;
    const withDrop = !withBackground && random() < 0.3;
    const layer = hidden({
      name: `hidden ${window} (random)`,
      scope,
      ...(scope === 'org' ? {} : { endpoint: undefined }),
      window,
      requests,
      windowMs,
      ...(window === 'token-bucket' ? { burst: Math.max(1, Math.round(requests * random())) } : {}),
      ...(withBackground
        ? {
            background: {
              ratePerSecond: backgroundRate,
              amplitude: random() * 0.8,
              periodMs: 20_000,
            },
          }
        : {}),
      ...(withDrop
        ? {
            changes: [
              { afterMs: 10_000, requests: Math.max(1, Math.round(requests / 2)) },
              { afterMs: 22_000, requests },
            ],
          }
        : {}),
    });
    const layerRate = requests / (windowMs / 1000);
    const amplitude = layer.background?.amplitude ?? 0;
    // what the hidden layer leaves this client at `elapsedMs`: halved during a drop, less the
    // background consumer's use of the moment
    const hiddenAt = (elapsedMs: number): number => {
      const dropped = withDrop && elapsedMs >= 10_000 && elapsedMs < 22_000;
      const base = dropped ? Math.max(1, Math.round(requests / 2)) / (windowMs / 1000) : layerRate;
      const other = backgroundRate * (1 + amplitude * Math.sin((2 * Math.PI * elapsedMs) / 20_000));
      return Math.max(0.1, base - other);
    };
    // the reported layer binds wherever the hidden one leaves at least the reported rate less
    // the headroom; which one binds can change within a run (a drop, a background swing)
    const headroomRate = REPORTED_RATE * 0.9;
    let lowestHidden = Infinity;
    for (let atMs = 0; atMs < 60_000; atMs += 100)
      lowestHidden = Math.min(lowestHidden, hiddenAt(atMs));
    const reportedBinds = lowestHidden >= headroomRate;
    cells.push({
      name: `random ${i + 1}`,
      note: `${window} ${requests}/${(windowMs / 1000).toFixed(2)} s per ${scope} (${Math.round(share * 100)}%), Retry-After ${retryAfterMode}${withBackground ? `, background ${backgroundRate.toFixed(1)}/s` : ''}${withDrop ? ', halves 10–22 s' : ''}`,
      layers: [REPORTED, layer],
      retryAfterMode,
      retryAfterLongSeconds: 45,
      requests: Math.max(enough(layer), 300),
      bindingRateAt: (elapsedMs) => Math.min(REPORTED_RATE, hiddenAt(elapsedMs)),
      ceilingAt: (elapsedMs) => Math.min(headroomRate, hiddenAt(elapsedMs)),
      reportedBinds,
      random: true,
    });
  }
  return cells;
}

/**
 * Whether the cell's moving schedule (background curve, limit changes) starts at the first
 * `POST .../contacts`: the Sandbox starts a layer's schedule at the first request that layer
 * sees, and a layer naming the contacts route sees only those, while a layer without a route
 * also sees the first API call (a sender's limits read). Cells without a schedule: true.
 */
export function scheduleStartsAtFirstPost(cell: Cell): boolean {
  const scheduled = cell.layers.find((layer) => layer.background || layer.changes?.length);
  return scheduled === undefined || scheduled.endpoint === POST_CONTACTS_ROUTE;
}

/**
 * The ceiling a sender is measured against: the binding rate averaged over `durationMs` from
 * `fromMs` after the schedule's origin (requests per second), less the 10% headroom while the
 * reported layer binds (`ceilingAt` where that changes within a run).
 */
export function ceilingRatePerSecond(cell: Cell, durationMs: number, fromMs = 0): number {
  const steps = 400;
  let sum = 0;
  const rateAt = cell.ceilingAt ?? cell.bindingRateAt;
  for (let i = 0; i < steps; i += 1) sum += rateAt(fromMs + ((i + 0.5) / steps) * durationMs);
  const average = sum / steps;
  return cell.reportedBinds && !cell.ceilingAt ? average * 0.9 : average;
}
