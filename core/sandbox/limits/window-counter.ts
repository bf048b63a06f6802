/** The state of one budget for one key, as seen at one instant. */
export interface WindowState {
  /** Requests counted in the current window. */
  count: number;
  /** Milliseconds until the window frees a slot (fixed: until it resets; sliding: until the oldest request leaves). */
  resetInMs: number;
}

/**
 * A request budget of `limit` requests per `windowMs`, tracked per key (a client id, an org id).
 * `peek` never changes state; `record` counts one admitted request.
 */
export interface WindowCounter {
  peek(key: string, nowMs: number): WindowState;
  record(key: string, nowMs: number): void;
  clear(): void;
}
