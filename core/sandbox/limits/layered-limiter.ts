import type { LimitLayerConfig, RetryAfterMode } from '../types';
import { BackgroundConsumer } from './background-consumer';
import { createConcurrencyCap } from './concurrency-cap';
import { createFixedWindowCounter } from './fixed-window';
import { createGcraCounter } from './gcra';
import { createSlidingLogCounter } from './sliding-log';
import { createSlidingWindowCounter } from './sliding-window-counter';
import type { WindowCounter, WindowState } from './window-counter';

/** Who is calling what: the keys a layer's budget is counted by. */
export interface LimitSubject {
  clientId: string;
  orgId: string;
  /** Route template, `METHOD /path/{param}`. */
  route: string;
  /** The access token (scope `token`); the client id stands in when absent. */
  token?: string;
  /** The person behind the token (scopes `user`, `user-client`); client credentials: the client's app user. */
  userId?: string;
}

/** The `inin-ratelimit-*` headers (docs/GENESYS.md), describing the reported layers only. */
export interface RateLimitHeaderValues {
  allowed: number;
  count: number;
  resetSeconds: number;
}

/** How long a 429 says to wait, and where it says it. */
export interface RetryAdvice {
  /** `Retry-After` header value in seconds, or undefined (`missing`, `body`). */
  headerSeconds: number | undefined;
  /** The N of "Retry the request in [N] seconds" in the body (`body` mode only). */
  bodySeconds: number | undefined;
}

/** Result of asking the limiter to admit one request. */
export type AdmitResult =
  | {
      admitted: true;
      headers: RateLimitHeaderValues | undefined;
      /** Call once when the request is over (answered or dropped): frees concurrency slots. */
      release: () => void;
    }
  | {
      admitted: false;
      headers: RateLimitHeaderValues | undefined;
      /** Names of the layers that refused the request. */
      blockingLayers: string[];
      /** `Retry-After` value in (whole Sandbox) seconds per the configured mode, or undefined. */
      retryAfterSeconds: number | undefined;
      /** The wait the 429 body's message states (`body` mode), (whole Sandbox) seconds. */
      bodyRetryAfterSeconds: number | undefined;
    };

interface Layer {
  config: LimitLayerConfig;
  counter: WindowCounter;
  background: BackgroundConsumer | undefined;
  /** The first request this layer saw (time zero of its background curve and limit changes). */
  originMs: number | undefined;
  /** Background requests refused so far and still waiting, per key. */
  backlog: Map<string, BackgroundBacklog>;
}

/** Background requests refused and waiting to try again (see `serveBackground`). */
interface BackgroundBacklog {
  waiting: number;
  /** When the first of them tries again: when the budget that refused it frees. */
  retryAtMs: number;
}

/**
 * Layered rate limits (docs/GENESYS.md; core/sandbox/README.md "Limiters"): a request must fit
 * every applicable layer; admitted requests count in every layer, refused ones in none. Each
 * layer has its own counting shape, scope, optional background consumer and scheduled limit
 * changes. `Retry-After` follows the mode: `honest` = until every blocking layer frees, `short` =
 * only the reported layer's reset (what the field report saw), `long` = at least the configured
 * floor, `missing`/`body` = no header (`body` states the honest wait in the message instead).
 *
 * Waits are whole seconds, as Genesys sends them, rounded up. `secondMs` is how long one of those
 * seconds lasts: 1000 but in a time-scaled Sandbox (the upload bench runs a minute's limits in a
 * few seconds), where a second is scaled with the windows so a whole-second wait keeps its
 * proportion to them; the values then carry decimals (1000 / 15 ms = "0.067").
 */
export class LayeredRateLimiter {
  private readonly layers: Layer[];

  constructor(
    configs: LimitLayerConfig[],
    private readonly retryAfterMode: RetryAfterMode,
    private readonly retryAfterLongSeconds = 45,
    private readonly secondMs = 1000,
  ) {
    this.layers = configs.map((config) => ({
      config,
      // concurrency caps have no window: a refused caller is told to come back in a second
      counter: counterFor(config, secondMs),
      // a background consumer holds no request open, so it cannot take concurrency slots
      background:
        config.background && config.window !== 'concurrency'
          ? new BackgroundConsumer(config.background)
          : undefined,
      originMs: undefined,
      backlog: new Map(),
    }));
  }

  /**
   * Admits (and counts) the request, or says why not and for how long. `endpointLayersOnly`
   * restricts the check to layers that name the route (used for `POST /oauth/token`).
   */
  admit(
    subject: LimitSubject,
    nowMs: number,
    options: { endpointLayersOnly?: boolean } = {},
  ): AdmitResult {
    // Layers without an endpoint are API budgets; login calls only meet layers that name them.
    const applicable = this.layers.filter((layer) =>
      layer.config.endpoint === undefined
        ? options.endpointLayersOnly !== true
        : layer.config.endpoint === subject.route,
    );
    const blocking: { layer: Layer; waitMs: number }[] = [];
    for (const layer of applicable) {
      layer.originMs ??= nowMs;
      const key = keyOf(layer.config, subject);
      const limit = this.limitOf(layer, nowMs);
      this.serveBackground(layer, key, nowMs);
      const state = layer.counter.peek(key, nowMs, limit);
      if (state.count >= limit) blocking.push({ layer, waitMs: state.resetInMs });
    }
    if (blocking.length === 0) {
      const keys = applicable.map((layer) => keyOf(layer.config, subject));
      applicable.forEach((layer, index) =>
        layer.counter.record(keys[index] ?? '', nowMs, this.limitOf(layer, nowMs)),
      );
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        applicable.forEach((layer, index) => layer.counter.release?.(keys[index] ?? '', nowMs));
      };
      return { admitted: true, headers: this.headers(applicable, subject, nowMs), release };
    }
    const headers = this.headers(applicable, subject, nowMs);
    const honest = this.secondsUntil(Math.max(...blocking.map((b) => b.waitMs)));
    const retryAfter = this.retryAfter(honest, applicable, subject, nowMs);
    return {
      admitted: false,
      headers,
      blockingLayers: blocking.map((entry) => entry.layer.config.name),
      retryAfterSeconds: retryAfter === undefined ? undefined : this.seconds(retryAfter),
      bodyRetryAfterSeconds:
        this.retryAfterMode === 'message-only' ? this.seconds(honest) : undefined,
    };
  }

  /** Forgets every count (scenario reset). */
  clear(): void {
    for (const layer of this.layers) {
      layer.counter.clear();
      layer.background?.clear();
      layer.backlog.clear();
      layer.originMs = undefined;
    }
  }

  /**
   * Replays the background consumer up to `nowMs`. A refused background request waits until the
   * budget that refused it frees and goes first then (as a person reloading the admin UI would),
   * up to one window of its demand: that is what makes it a shrinking budget rather than
   * something the uploader can crowd out. It goes at the moment the budget frees, not at the
   * uploader's next request: a queued request that only went when the uploader came would take
   * every slot the uploader came for (a token bucket with no burst, refilled long before, would
   * refuse the uploader each time).
   */
  private serveBackground(layer: Layer, key: string, nowMs: number): void {
    const background = layer.background;
    if (background === undefined || layer.originMs === undefined) return;
    const maxBacklog = Math.max(1, (background.peakRatePerSecond * layer.config.windowMs) / 1000);
    background.replay(key, layer.originMs, nowMs, (atMs) => {
      this.retryBackground(layer, key, atMs);
      const queued = layer.backlog.get(key);
      if (queued === undefined || queued.waiting === 0)
        layer.backlog.set(key, { waiting: 1, retryAtMs: atMs });
      else queued.waiting = Math.min(maxBacklog, queued.waiting + 1);
      this.retryBackground(layer, key, atMs);
    });
    this.retryBackground(layer, key, nowMs);
  }

  /**
   * Sends the waiting background requests whose retry time has come by `untilMs`, each at that
   * retry time (oldest first); one the budget refuses again tries when it next frees.
   */
  private retryBackground(layer: Layer, key: string, untilMs: number): void {
    const queued = layer.backlog.get(key);
    if (queued === undefined) return;
    while (queued.waiting > 0 && queued.retryAtMs <= untilMs) {
      const limit = this.limitOf(layer, queued.retryAtMs);
      const state = layer.counter.peek(key, queued.retryAtMs, limit);
      if (state.count < limit) {
        layer.counter.record(key, queued.retryAtMs, limit);
        queued.waiting -= 1;
      } else queued.retryAtMs += Math.max(1, state.resetInMs);
    }
  }

  /** The layer's limit at `nowMs`, after any scheduled change that has come due. */
  private limitOf(layer: Layer, nowMs: number): number {
    let limit = layer.config.requests;
    const elapsedMs = nowMs - (layer.originMs ?? nowMs);
    for (const change of layer.config.changes ?? []) {
      if (elapsedMs >= change.afterMs) limit = change.requests;
    }
    return limit;
  }

  /** The `Retry-After` of a refusal per the mode, in Sandbox seconds (see the class). */
  private retryAfter(
    honest: number,
    applicable: Layer[],
    subject: LimitSubject,
    nowMs: number,
  ): number | undefined {
    switch (this.retryAfterMode) {
      case 'missing':
      case 'message-only':
        return undefined;
      case 'short': {
        const reported = this.mostUsedReported(applicable, subject, nowMs);
        return reported !== undefined ? this.secondsUntil(reported.state.resetInMs) : honest;
      }
      case 'long':
        return Math.max(honest, Math.ceil(this.retryAfterLongSeconds));
      default:
        return honest;
    }
  }

  /** A wait in whole Sandbox seconds, rounded up, at least one. */
  private secondsUntil(waitMs: number): number {
    return Math.max(1, Math.ceil(waitMs / this.secondMs - 1e-9));
  }

  /** Sandbox seconds in real seconds, to the millisecond. */
  private seconds(count: number): number {
    return Math.round(count * this.secondMs) / 1000;
  }

  /** Headers from the reported layer closest to its limit. */
  private headers(
    applicable: Layer[],
    subject: LimitSubject,
    nowMs: number,
  ): RateLimitHeaderValues | undefined {
    const reported = this.mostUsedReported(applicable, subject, nowMs);
    if (reported === undefined) return undefined;
    const { limit, state } = reported;
    const resetSeconds = this.seconds(Math.ceil(state.resetInMs / this.secondMs - 1e-9));
    return { allowed: limit, count: state.count, resetSeconds };
  }

  /** The reported layer closest to its limit, with its count and reset. */
  private mostUsedReported(
    applicable: Layer[],
    subject: LimitSubject,
    nowMs: number,
  ): { limit: number; state: WindowState } | undefined {
    let best: { limit: number; state: WindowState } | undefined;
    for (const layer of applicable) {
      if (!layer.config.reported) continue;
      const limit = this.limitOf(layer, nowMs);
      const state = layer.counter.peek(keyOf(layer.config, subject), nowMs, limit);
      if (best === undefined || state.count / limit > best.state.count / best.limit) {
        best = { limit, state };
      }
    }
    return best;
  }
}

function counterFor(config: LimitLayerConfig, secondMs: number): WindowCounter {
  switch (config.window) {
    case 'sliding':
      return createSlidingLogCounter(config.windowMs);
    case 'sliding-counter':
      return createSlidingWindowCounter(config.windowMs);
    case 'token-bucket':
      return createGcraCounter(config.windowMs, config.requests, config.burst);
    case 'concurrency':
      return createConcurrencyCap(secondMs);
    default:
      return createFixedWindowCounter(config.windowMs);
  }
}

function keyOf(config: LimitLayerConfig, subject: LimitSubject): string {
  const user = subject.userId ?? `app:${subject.clientId}`;
  const owner =
    config.scope === 'client'
      ? subject.clientId
      : config.scope === 'org'
        ? subject.orgId
        : config.scope === 'token'
          ? `token:${subject.token ?? subject.clientId}`
          : config.scope === 'user'
            ? `${subject.orgId} ${user}`
            : `${user} ${subject.clientId}`;
  return config.endpoint === undefined ? owner : `${owner} ${subject.route}`;
}
