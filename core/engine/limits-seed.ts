/**
 * Reads the org's published request limit from `GET /api/v2/organizations/limits/namespaces/
 * {namespace}` (DESIGN §2: no permission needed) to seed the pacer before any response header
 * arrives. Returns requests per minute, or undefined when the API is unavailable or silent:
 * seeding is an optimisation, never a reason to fail a run.
 */
export async function fetchPublishedRatePerMinute(options: {
  apiUrl: string;
  accessToken: string;
  namespace?: string;
  key?: string;
  timeoutMs?: number;
}): Promise<number | undefined> {
  const namespace = options.namespace ?? 'platform-api';
  const key = options.key ?? 'client.credentials.token.rate.per.minute';
  const url = `${options.apiUrl.replace(/\/+$/, '')}/api/v2/organizations/limits/namespaces/${encodeURIComponent(namespace)}`;
  try {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { entities?: Array<{ key?: string; value?: unknown }> };
    const entry = body.entities?.find((entity) => entity.key === key);
    return typeof entry?.value === 'number' && entry.value > 0 ? entry.value : undefined;
  } catch {
    return undefined;
  }
}
