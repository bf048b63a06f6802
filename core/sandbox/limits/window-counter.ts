/** The state of one budget for one key, as seen at one instant. */
export interface WindowState {
  /** Requests counted against the budget now (the request is refused when this reaches the limit). */
  count: number;
  /** Milliseconds until the window frees a slot (fixed: until it resets; sliding: until the oldest request leaves). */
  resetInMs: number;
}

/**
 * A request budget tracked per key (a client id, an org id, a token). `peek` never changes
 * state; `record` counts one admitted request; `release` ends one (only a concurrency cap counts
 * requests in flight, the others ignore it). `limit` is the layer's current limit, needed by
 * counters whose arithmetic depends on it (a token bucket's refill rate); window counters
 * ignore it.
 */
export interface WindowCounter {
  peek(key: string, nowMs: number, limit?: number): WindowState;
  record(key: string, nowMs: number, limit?: number): void;
  release?(key: string, nowMs: number): void;
  clear(): void;
}
