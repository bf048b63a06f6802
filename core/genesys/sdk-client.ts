import platformClient from 'purecloud-platform-client-v2';
import {
  parseRateLimitHeaders,
  parseRetryAfterMs,
  type RateLimitHeaders,
} from './http/rate-limit-headers';
import { isRetryableStatus } from './http/response-policy';

/** The SDK's per-org client class (never use the `platformClient.ApiClient` singleton). */
export type GenesysSdkClient = InstanceType<typeof platformClient.ApiClientClass>;
/** The SDK's Outbound API bound to one org's client. */
export type GenesysOutboundApi = InstanceType<typeof platformClient.OutboundApi>;
/** The SDK's Organization API bound to one org's client (org info, limits namespaces). */
export type GenesysOrganizationApi = InstanceType<typeof platformClient.OrganizationApi>;

/** Where one org's calls go: a custom base URL (sandbox, proxy) or a Genesys region. */
export type GenesysTarget =
  | { baseUrl: string }
  /** A region key (`eu_west_1`) or its domain (`mypurecloud.ie`). */
  | { region: string };

/** Construction options for {@link createGenesysApiClient}. */
export interface GenesysClientOptions {
  /** Per-request timeout in ms (the SDK defaults to 16 s). */
  timeoutMs?: number;
}

/** One org's SDK objects, all sharing one `ApiClientClass` instance (and so one token). */
export interface GenesysApiClients {
  apiClient: GenesysSdkClient;
  outbound: GenesysOutboundApi;
  organization: GenesysOrganizationApi;
  /** The API base URL the client resolves to, e.g. `http://127.0.0.1:4100` or `https://api.mypurecloud.ie`. */
  apiBaseUrl: string;
}

/**
 * Builds a fresh SDK client for one org, following these rules: one `ApiClientClass` per org;
 * config-file live reload switched off and the config path cleared BEFORE gateway/region are set
 * (otherwise a change to `~/.genesyscloudjavascript/config` silently resets them); `setGateway`
 * with `protocol: 'http'` for http base URLs (the only setting that redirects login AND API
 * calls); extended responses on, so a 429's headers reach the caller. Throws on an unknown
 * region or a malformed base URL.
 */
export function createGenesysApiClient(
  target: GenesysTarget,
  options: GenesysClientOptions = {},
): GenesysApiClients {
  const apiClient = new platformClient.ApiClientClass();
  apiClient.config.live_reload_config = false;
  apiClient.config.setConfigPath('');
  let apiBaseUrl: string;
  if ('baseUrl' in target) {
    const url = parseBaseUrl(target.baseUrl);
    const protocol = url.protocol.replace(':', '');
    const port = url.port === '' ? undefined : Number(url.port);
    const pathParams = url.pathname.replace(/\/+$/, '');
    apiClient.setGateway({
      host: url.hostname,
      protocol,
      ...(port === undefined ? {} : { port }),
      ...(pathParams === '' ? {} : { path_params_login: pathParams, path_params_api: pathParams }),
    } as Parameters<GenesysSdkClient['setGateway']>[0]);
    apiBaseUrl = `${url.origin}${pathParams}`;
  } else {
    const domain = resolveRegionDomain(target.region);
    apiClient.setEnvironment(domain);
    apiBaseUrl = `https://api.${domain}`;
  }
  apiClient.setReturnExtendedResponses(true);
  if (options.timeoutMs !== undefined) apiClient.getHttpClient().setTimeout(options.timeoutMs);
  return {
    apiClient,
    outbound: new platformClient.OutboundApi(apiClient),
    organization: new platformClient.OrganizationApi(apiClient),
    apiBaseUrl,
  };
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`"${baseUrl}" is not a valid base URL (expected e.g. http://127.0.0.1:4100).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Base URL "${baseUrl}" must start with http:// or https://.`);
  }
  return url;
}

/** Maps `eu_west_1` or `mypurecloud.ie` to the domain the SDK's `setEnvironment` expects. */
function resolveRegionDomain(region: string): string {
  const hosts = platformClient.PureCloudRegionHosts as Record<string, string>;
  const byKey = hosts[region];
  if (byKey !== undefined) return byKey;
  if (Object.values(hosts).includes(region)) return region;
  throw new Error(
    `Unknown Genesys Cloud region "${region}". Known regions: ${Object.keys(hosts).join(', ')}.`,
  );
}

/** A successful SDK call, unwrapped from the SDK's extended response. */
export interface GenesysResponse<T> {
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  body: T;
  /** `inin-correlation-id`: log it with anything that goes wrong later. */
  correlationId: string | undefined;
  /** The `inin-ratelimit-*` headers, when the response carried them. */
  rateLimit: RateLimitHeaders | undefined;
}

/**
 * What failed: `http` (the server answered with an error status), `network` (no answer: refused,
 * reset, DNS), `timeout` (no answer within the client timeout), `invalid-call` (the SDK refused
 * the call before sending, e.g. a missing required parameter).
 */
export type GenesysErrorKind = 'http' | 'network' | 'timeout' | 'invalid-call';

/**
 * One typed error for every way an SDK call can fail. `status` is 0 when nothing was answered.
 * `retryable` is the one response policy's (`isRetryableStatus` in http/response-policy.ts),
 * plus network errors and timeouts.
 */
export class GenesysApiError extends Error {
  readonly kind: GenesysErrorKind;
  readonly status: number;
  /** Genesys error code (`too.many.requests`, `bad.credentials`...) or the network error code. */
  readonly code: string;
  readonly correlationId: string | undefined;
  /** `Retry-After` in seconds, when present (a floor, not a promise: docs/GENESYS.md#retry-after-long). */
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string>;
  /** The parsed error body, as sent by the server (for the log). */
  readonly body: unknown;
  readonly retryable: boolean;

  constructor(init: {
    kind: GenesysErrorKind;
    status: number;
    code: string;
    message: string;
    correlationId?: string | undefined;
    retryAfterSeconds?: number | undefined;
    headers?: Record<string, string>;
    body?: unknown;
  }) {
    super(init.message);
    this.name = 'GenesysApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.correlationId = init.correlationId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.headers = init.headers ?? {};
    this.body = init.body;
    this.retryable =
      init.kind === 'network' || init.kind === 'timeout' || isRetryableStatus(init.status);
  }
}

/**
 * Runs one SDK call (made on a client from {@link createGenesysApiClient}) and returns its typed
 * result; rejects only with a {@link GenesysApiError}. Accepts the SDK's extended responses
 * `{status, headers, body}`, its extended rejections `{status, statusText, headers, body, error}`,
 * raw AxiosErrors (network failures, and the login calls) and synchronous throws.
 */
export async function callGenesys<T>(call: () => Promise<unknown>): Promise<GenesysResponse<T>> {
  let result: unknown;
  try {
    result = await call();
  } catch (reason) {
    throw toGenesysApiError(reason);
  }
  if (!isRecord(result) || typeof result.status !== 'number') {
    throw new GenesysApiError({
      kind: 'invalid-call',
      status: 0,
      code: 'sdk.not.extended',
      message:
        'The SDK returned a bare body: build the client with createGenesysApiClient (extended responses on).',
    });
  }
  const headers = normaliseHeaders(result.headers);
  return {
    status: result.status,
    headers,
    body: result.body as T,
    correlationId: headers['inin-correlation-id'],
    rateLimit: parseRateLimitHeaders(headers),
  };
}

/** Turns anything an SDK call rejects or throws with into a {@link GenesysApiError}. */
export function toGenesysApiError(reason: unknown): GenesysApiError {
  if (reason instanceof GenesysApiError) return reason;
  if (typeof reason === 'string') {
    return new GenesysApiError({
      kind: 'invalid-call',
      status: 0,
      code: 'invalid.call',
      message: reason,
    });
  }
  if (!isRecord(reason)) {
    return new GenesysApiError({
      kind: 'network',
      status: 0,
      code: 'unknown',
      message: `The request failed without a response (${String(reason)}).`,
    });
  }
  // Extended rejection: {status, statusText, headers, body, error}.
  if (typeof reason.status === 'number' && 'body' in reason) {
    return httpError(reason.status, reason.headers, reason.body);
  }
  // Raw AxiosError: with a response (login calls) or without one (network failure).
  const response = reason.response;
  if (isRecord(response) && typeof response.status === 'number') {
    return httpError(response.status, response.headers, response.data);
  }
  const networkCode = typeof reason.code === 'string' ? reason.code : 'ERR_NETWORK';
  const timedOut = networkCode === 'ECONNABORTED' || networkCode === 'ETIMEDOUT';
  const detail = typeof reason.message === 'string' ? reason.message : networkCode;
  return new GenesysApiError({
    kind: timedOut ? 'timeout' : 'network',
    status: 0,
    code: networkCode,
    message: timedOut
      ? `No answer from Genesys Cloud within the timeout (${detail}).`
      : `Could not reach Genesys Cloud (${detail}): check the network, the region or base URL.`,
  });
}

function httpError(status: number, rawHeaders: unknown, body: unknown): GenesysApiError {
  const headers = normaliseHeaders(rawHeaders);
  const parsed = isRecord(body) ? body : {};
  // API errors carry {code, message}; the login service's OAuth errors {error, error_description}.
  const code =
    typeof parsed.code === 'string'
      ? parsed.code
      : typeof parsed.error === 'string'
        ? parsed.error
        : `http.${status}`;
  const serverMessage =
    typeof parsed.message === 'string'
      ? parsed.message
      : typeof parsed.error_description === 'string'
        ? parsed.error_description
        : undefined;
  const retryAfterMs = parseRetryAfterMs(headers['retry-after']);
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  return new GenesysApiError({
    kind: 'http',
    status,
    code,
    message: serverMessage ?? `Genesys Cloud answered HTTP ${status}.`,
    correlationId: headers['inin-correlation-id'],
    retryAfterSeconds,
    headers,
    body,
  });
}

function normaliseHeaders(raw: unknown): Record<string, string> {
  if (!isRecord(raw)) return {};
  const source =
    typeof raw.toJSON === 'function' ? (raw.toJSON as () => Record<string, unknown>)() : raw;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
