import type { LimitLayerConfig, RetryAfterMode } from '../types';
import { createFixedWindowCounter } from './fixed-window';
import { createSlidingWindowCounter } from './sliding-window';
import type { WindowCounter } from './window-counter';

/** Who is calling what: the keys a layer's budget is counted by. */
export interface LimitSubject {
  clientId: string;
  orgId: string;
  /** Route template, `METHOD /path/{param}`. */
  route: string;
}

/** The `inin-ratelimit-*` headers (DESIGN.md §2), describing the reported layers only. */
export interface RateLimitHeaderValues {
  allowed: number;
  count: number;
  resetSeconds: number;
}

/** Result of asking the limiter to admit one request. */
export type AdmitResult =
  | { admitted: true; headers: RateLimitHeaderValues | undefined }
  | {
      admitted: false;
      headers: RateLimitHeaderValues | undefined;
      /** Names of the layers that refused the request. */
      blockingLayers: string[];
      /** `Retry-After` value in whole seconds per the configured mode, or undefined (`missing`). */
      retryAfterSeconds: number | undefined;
    };

interface Layer {
  config: LimitLayerConfig;
  counter: WindowCounter;
}

/**
 * Layered rate limits (DESIGN.md §1, §7): a request must fit every applicable layer (per client,
 * per org, optionally per endpoint); admitted requests count in every layer, refused ones in none.
 * `Retry-After` follows the mode: `honest` = until every blocking layer frees, `short` = only the
 * reported layer's reset (what the field report saw), `missing` = absent.
 */
export class LayeredRateLimiter {
  private readonly layers: Layer[];

  constructor(
    configs: LimitLayerConfig[],
    private readonly retryAfterMode: RetryAfterMode,
  ) {
    this.layers = configs.map((config) => ({
      config,
      counter:
        config.window === 'sliding'
          ? createSlidingWindowCounter(config.windowMs)
          : createFixedWindowCounter(config.windowMs),
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
      const state = layer.counter.peek(keyOf(layer.config, subject), nowMs);
      if (state.count >= layer.config.requests) blocking.push({ layer, waitMs: state.resetInMs });
    }
    if (blocking.length === 0) {
      for (const layer of applicable) layer.counter.record(keyOf(layer.config, subject), nowMs);
      return { admitted: true, headers: this.headers(applicable, subject, nowMs) };
    }
    const headers = this.headers(applicable, subject, nowMs);
    return {
      admitted: false,
      headers,
      blockingLayers: blocking.map((entry) => entry.layer.config.name),
      retryAfterSeconds: this.retryAfter(blocking, headers),
    };
  }

  /** Forgets every count (scenario reset). */
  clear(): void {
    for (const layer of this.layers) layer.counter.clear();
  }

  private retryAfter(
    blocking: { layer: Layer; waitMs: number }[],
    headers: RateLimitHeaderValues | undefined,
  ): number | undefined {
    if (this.retryAfterMode === 'missing') return undefined;
    if (this.retryAfterMode === 'short' && headers !== undefined) {
      return Math.max(1, headers.resetSeconds);
    }
    const waitMs = Math.max(...blocking.map((entry) => entry.waitMs));
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  /** Headers from the reported layer closest to its limit. */
  private headers(
    applicable: Layer[],
    subject: LimitSubject,
    nowMs: number,
  ): RateLimitHeaderValues | undefined {
    let best: RateLimitHeaderValues | undefined;
    let bestUse = -1;
    for (const layer of applicable) {
      if (!layer.config.reported) continue;
      const state = layer.counter.peek(keyOf(layer.config, subject), nowMs);
      const use = state.count / layer.config.requests;
      if (use > bestUse) {
        bestUse = use;
        best = {
          allowed: layer.config.requests,
          count: state.count,
          resetSeconds: Math.ceil(state.resetInMs / 1000),
        };
      }
    }
    return best;
  }
}

function keyOf(config: LimitLayerConfig, subject: LimitSubject): string {
  const owner = config.scope === 'client' ? subject.clientId : subject.orgId;
  return config.endpoint === undefined ? owner : `${owner} ${subject.route}`;
}
