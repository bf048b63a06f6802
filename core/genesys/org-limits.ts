import { GenesysHttp } from './http/genesys-http';
import type { RequestGate } from './http/request-gate';
import type { TokenSource } from './token-source';

/**
 * Limit namespaces as the SDK's `Limit` model names them (docs/GENESYS.md#limits-namespaces):
 * dots, so `platform.api`, never `platform-api`.
 */
export const LIMIT_NAMESPACES = ['platform.api', 'outbound'] as const;
export type LimitNamespace = (typeof LIMIT_NAMESPACES)[number];

/** One entry of `GET /api/v2/organizations/limits/namespaces/{namespace}`. */
export interface OrgLimit {
  key: string;
  value: number;
}

/** Where and how to read the org's limits. */
export interface OrgLimitsReadOptions {
  apiUrl: string;
  tokenSource: TokenSource;
  /** The org's limiter, so the read counts toward the org's pace. */
  gate?: RequestGate;
  /** Retryable failures are retried for this long, ms (default 5 s: the read is an optimisation). */
  giveUpAfterMs?: number;
}

/**
 * The org's effective limits in one namespace (no permission needed: docs/GENESYS.md#limits-api).
 * The one reader of org limits. Throws `GenesysCallError` when the API refuses or is away.
 */
export async function readOrgLimits(
  namespace: LimitNamespace,
  options: OrgLimitsReadOptions,
): Promise<OrgLimit[]> {
  const http = new GenesysHttp({
    apiUrl: options.apiUrl,
    tokenSource: options.tokenSource,
    giveUpAfterMs: options.giveUpAfterMs ?? 5000,
    timeoutMs: 5000,
    ...(options.gate ? { gate: options.gate } : {}),
  });
  const body = (await http.json(
    'limits',
    'GET',
    `/api/v2/organizations/limits/namespaces/${encodeURIComponent(namespace)}`,
  )) as { entities?: Array<{ key?: unknown; value?: unknown }> } | undefined;
  return (body?.entities ?? []).flatMap((entity) =>
    typeof entity.key === 'string' && typeof entity.value === 'number'
      ? [{ key: entity.key, value: entity.value }]
      : [],
  );
}

/**
 * The published request rate per client, requests per minute, to seed the pacer before any
 * response header arrives; undefined when the API is unavailable or silent: seeding is an
 * optimisation, never a reason to fail a run.
 */
export async function readPublishedRatePerMinute(
  options: OrgLimitsReadOptions,
): Promise<number | undefined> {
  try {
    const limits = await readOrgLimits('platform.api', options);
    const value = limits.find(
      (limit) => limit.key === 'client.credentials.token.rate.per.minute',
    )?.value;
    return value !== undefined && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Contacts per list when the org does not say otherwise (docs/GENESYS.md#list-capacity). */
export const DEFAULT_CONTACTS_PER_LIST = 1_000_000;

/**
 * The org's cap of contacts per list (`outbound`, `contacts.per.contact.list.max`), or the
 * documented 1,000,000 when the limits API is unavailable or silent.
 */
export async function readContactsPerListMax(options: OrgLimitsReadOptions): Promise<number> {
  try {
    const limits = await readOrgLimits('outbound', options);
    const value = limits.find((limit) => limit.key === 'contacts.per.contact.list.max')?.value;
    return value !== undefined && value > 0 ? value : DEFAULT_CONTACTS_PER_LIST;
  } catch {
    return DEFAULT_CONTACTS_PER_LIST;
  }
}
