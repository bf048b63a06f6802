import type { WindowCounter, WindowState } from './window-counter';

/**
 * Token bucket in its GCRA form (generic cell rate algorithm): `limit` requests per `windowMs`
 * refill continuously, one every `windowMs / limit`, and up to `burst` may go at once (default:
 * the whole limit; more than the limit is a bucket that saves up more than a window's worth).
 * Keeps one "theoretical arrival time" per key. `count` is how many tokens are missing from a
 * full bucket, so the request is refused when it reaches `burst`: callers compare it with the
 * layer's limit, hence `burst` is expressed as that same limit by default.
 */
export function createGcraCounter(
  windowMs: number,
  defaultLimit: number,
  burst?: number,
): WindowCounter {
  const arrivals = new Map<string, number>();
  const interval = (limit: number) => windowMs / Math.max(1, limit);
  // the bucket holds `burst` tokens (the limit when not given), fewer or more than the limit.
  // When the limit changes (a drop, core/sandbox/README.md "Limiters"), a burst up to the
  // configured limit is capped by the new one, and a burst above it keeps its proportion to it
  const configured = burst ?? defaultLimit;
  const state = (key: string, nowMs: number, limit: number): WindowState => {
    const stepMs = interval(limit);
    const capacity = Math.max(
      1,
      configured > defaultLimit
        ? Math.round((configured * limit) / defaultLimit)
        : Math.min(configured, limit),
    );
    const backlogMs = Math.max(0, (arrivals.get(key) ?? nowMs) - nowMs);
    const used = Math.ceil(backlogMs / stepMs - 1e-9);
    // refused once `capacity` tokens are missing; reported on the limit's scale (callers refuse
    // at the limit): a bucket larger than the limit reports its share used, so it reaches the
    // limit only when the whole bucket is spent
    const share = capacity > limit ? Math.floor((used * limit) / capacity) : used;
    const count = used >= capacity ? limit : Math.min(limit - 1, share);
    const waitMs = Math.max(0, backlogMs - (capacity - 1) * stepMs);
    return { count, resetInMs: Math.max(1, Math.ceil(waitMs > 0 ? waitMs : stepMs)) };
  };
  return {
    peek: (key, nowMs, limit = defaultLimit) => state(key, nowMs, limit),
    record(key: string, nowMs: number, limit = defaultLimit): void {
      const arrival = Math.max(arrivals.get(key) ?? nowMs, nowMs);
      arrivals.set(key, arrival + interval(limit));
    },
    clear(): void {
      arrivals.clear();
    },
  };
}
