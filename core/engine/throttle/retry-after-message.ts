/**
 * Reads the wait a 429's message states when the `Retry-After` header is missing: Genesys
 * writes "Rate limit exceeded the maximum. Retry the request in [N] seconds" (codes
 * `too.many.requests.retry.after`, `too.many.requests`; docs/GENESYS.md). Returns
 * milliseconds, or undefined when the message states no wait.
 */
export function parseRetryAfterFromMessage(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const match = /retry the request in \[?(\d+(?:\.\d+)?)\]?\s*seconds?/i.exec(message);
  if (!match) return undefined;
  const seconds = Number(match[1]);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}
