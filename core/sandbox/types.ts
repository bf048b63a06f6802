/**
 * Configuration and data shapes of the sandbox org (core/sandbox/README.md). Everything here is JSON-able
 * so a scenario can be overridden from a file (`sluice sandbox --config overrides.json`).
 */

/** Named presets (see scenarios.ts). */
export type ScenarioName = 'demo' | 'field-report' | 'flaky' | 'strict';

/**
 * Recursive partial used for JSON overrides. Arrays replace the preset's array (they are not
 * merged); their items may be partial: orgs are completed from defaults, everything else is
 * checked by the config schema with a path-named error.
 */
export type DeepPartial<T> = T extends readonly (infer Item)[]
  ? DeepPartial<Item>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * How a limit layer counts (core/sandbox/README.md, "Limiters"): `fixed` resets at the end of a
 * window that opens with the first request; `sliding` is a sliding log (each request counts for
 * exactly one window); `sliding-counter` weights the previous clock-aligned bucket;
 * `token-bucket` refills continuously (GCRA) with a burst; `concurrency` caps requests in flight.
 */
export type WindowKind = 'fixed' | 'sliding' | 'sliding-counter' | 'token-bucket' | 'concurrency';

/**
 * Whose budget a layer counts: `token` per access token, `user-client` per user per OAuth client
 * (what a PKCE sign-in meets), `user` per user across clients (shared with the consultant's own
 * admin UI), `client` per OAuth client, `org` per org; add `endpoint` for per-resource limits.
 * Client-credentials grants have no person: their "user" is the client's app user.
 */
export type LimitScope = 'token' | 'user-client' | 'user' | 'client' | 'org';

/**
 * Someone else spending the same budget: the consultant's own Genesys admin UI, the customer's
 * integrations. Sends at `ratePerSecond × (1 + amplitude × sin(2π t / periodMs))` from
 * `startAfterMs` after the layer's first request (for `durationMs`, default forever); its
 * requests are refused like anyone's when the budget is spent, so they never exceed it.
 */
export interface BackgroundConsumerConfig {
  ratePerSecond: number;
  /** 0 = steady; 1 = swings between 0 and twice the rate. */
  amplitude: number;
  periodMs: number;
  startAfterMs?: number;
  durationMs?: number;
}

/** From `afterMs` after the layer's first request, the limit is `requests` (a drop, or a return). */
export interface LimitChangeConfig {
  afterMs: number;
  requests: number;
}

/**
 * One layer of rate limiting (docs/GENESYS.md: limits are layered per OAuth client, per org, per
 * endpoint). A request must fit in every layer that applies to it.
 */
export interface LimitLayerConfig {
  /** Shown in logs and inspection (e.g. `client.credentials.token.rate.per.minute`). */
  name: string;
  /** Whose budget (see `LimitScope`). */
  scope: LimitScope;
  /** Restrict the layer to one route, as `METHOD /path/{param}` (e.g. `POST /api/v2/outbound/contactlists/{id}/contacts`). */
  endpoint?: string;
  requests: number;
  windowMs: number;
  window: WindowKind;
  /** Whether this layer is described by the `inin-ratelimit-*` headers (hidden layers are not). */
  reported: boolean;
  /** `token-bucket` only: requests that may go at once (default: `requests`). */
  burst?: number;
  /** Another consumer of this layer's budget, at a varying rate. */
  background?: BackgroundConsumerConfig;
  /** Scheduled changes of `requests` (another tool starts on the same client, then stops). */
  changes?: LimitChangeConfig[];
}

/**
 * `honest`: time until every binding layer frees; `short`: only the reported layers' reset (the
 * field report); `missing`: no header and no wait in the 429 message; `long`: at least
 * `retryAfterLongSeconds` (over 30 s, as seen in the field); `message-only`: no header,
 * but the 429 message says "Retry the request in [N] seconds" with the honest wait
 * (docs/GENESYS.md#rate-limit-429-body).
 */
export type RetryAfterMode = 'honest' | 'short' | 'missing' | 'long' | 'message-only';

/** Seeded fault injection, each a probability in [0, 1] per API request. */
export interface FaultConfig {
  /** Probability of answering with each 5xx status instead of handling the request. */
  status500: number;
  status502: number;
  status503: number;
  status504: number;
  /** Destroy the socket without answering. */
  connectionReset: number;
  /** Never answer (the client's timeout fires). */
  timeout: number;
  /** Handle (store) the request, then destroy the socket instead of answering. */
  commitThenDrop: number;
  /** Latency added to every API request: uniform in [minMs, maxMs], plus a rare spike of spikeMs (a long tail). */
  latency: { minMs: number; maxMs: number; spikeProbability: number; spikeMs: number };
  /** Revoke each access token after this many API requests (0 = never): 401 until a new token. */
  tokenExpiresAfterRequests: number;
  /** Only these routes get faults (`METHOD /path/{param}`); empty = every /api/v2 route. */
  endpoints: string[];
}

/** Request-shape rules from the help article "Create a new contact list" (docs/GENESYS.md#list-value-limits). */
export interface ContactRules {
  /** Unconfirmed: max contacts per POST .../contacts (default 1000). */
  maxContactsPerRequest: number;
  /** Unconfirmed: `request.bytes.max` (default 512,000). */
  maxRequestBytes: number;
  maxValueLength: number;
  maxColumns: number;
  maxColumnNameLength: number;
  maxContactsPerList: number;
  maxContactsPerOrg: number;
  maxListsPerOrg: number;
  /** Unconfirmed: at most 10 phone columns per list (docs/GENESYS.md#list-value-limits). */
  maxPhoneColumns: number;
}

/** A phone column of a contact list (ContactPhoneNumberColumn). */
export interface PhoneColumn {
  columnName: string;
  type: string;
  callableTimeColumn?: string;
}

/** Typed column constraint (ColumnDataTypeSpecification). */
export interface ColumnDataTypeSpecification {
  columnName: string;
  columnDataType: 'TEXT' | 'NUMERIC' | 'TIMESTAMP';
  min?: number;
  max?: number;
  maxLength?: number;
}

/** A contact list as the API returns it (Models.ContactList, without the optional extras). */
export interface ContactList {
  id: string;
  name: string;
  dateCreated: string;
  dateModified: string;
  version: number;
  division: { id: string; name: string; selfUri: string };
  columnNames: string[];
  phoneColumns: PhoneColumn[];
  emailColumns: { columnName: string; type: string; contactableTimeColumn?: string }[];
  previewModeColumnName?: string;
  previewModeAcceptedValues?: string[];
  automaticTimeZoneMapping: boolean;
  zipCodeColumnName?: string;
  columnDataTypeSpecifications: ColumnDataTypeSpecification[];
  trimWhitespace: boolean;
  selfUri: string;
}

/** A seeded list: the writable part of a ContactList plus optional seed contacts. */
export type SeedList = Partial<ContactList> & {
  name: string;
  columnNames: string[];
  contacts?: { id?: string; data: Record<string, string> }[];
};

/** One simulated org with its OAuth client(s) and lists. */
export interface SandboxOrgConfig {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  /** Public client for the authorization-code + PKCE flow (no secret). */
  pkceClientId: string;
  /** The person `/oauth/authorize` signs in automatically. */
  user: { id: string; name: string; email: string };
  lists: SeedList[];
  /** Replaces the scenario-wide limits for this org when set. */
  limits?: LimitLayerConfig[];
}

/** The whole configuration of a sandbox run (a scenario plus overrides). */
export interface SandboxConfig {
  orgs: SandboxOrgConfig[];
  limits: LimitLayerConfig[];
  retryAfterMode: RetryAfterMode;
  /** The floor of a `long` Retry-After, seconds (default 45). */
  retryAfterLongSeconds?: number;
  /**
   * How long one second of `Retry-After`, the 429 message's wait and `inin-ratelimit-reset`
   * lasts, ms (default 1000). A time-scaled Sandbox (the upload bench runs a minute's limits in a
   * few seconds) shortens it with the windows, so a wait in whole seconds keeps its proportion to
   * them; the values then carry decimals ("0.067").
   */
  secondMs?: number;
  faults: FaultConfig;
  rules: ContactRules;
  /** `expires_in` of issued tokens, seconds (Genesys default 24 h, docs/GENESYS.md#oauth-client-credentials). */
  tokenLifetimeSeconds: number;
  /** How fast an uploaded CSV is imported, rows per second (importstatus progresses over time). */
  importRowsPerSecond: number;
  /**
   * Imports with fewer rows never touch importstatus: it keeps the previous import's status (404
   * when there was none), as small real imports may (docs/GENESYS.md#import-status-stale: fall
   * back to comparing list size). 0 = always report.
   */
  importStatusMinRows: number;
  /**
   * What `state` a finished import reports (docs/GENESYS.md#import-status-states): `omitted`
   * (no state, 100 percent: what the Terraform provider checks for) or `IN_PROGRESS` (the last
   * documented state left at 100 percent). Never `COMPLETED`, which is not a documented state.
   */
  importFinishedState: 'omitted' | 'IN_PROGRESS';
  /**
   * How long a list's `size` lags behind the contacts an import added, in ms
   * (docs/GENESYS.md#list-size-lag). 0 = the size is current.
   */
  listSizeLagMs: number;
}

/** A contact as stored and returned (Models.DialerContact subset). */
export interface StoredContact {
  id: string;
  contactListId: string;
  data: Record<string, string>;
  callable: boolean;
  phoneNumberStatus: Record<string, { callable: boolean }>;
  callRecords: Record<string, unknown>;
  selfUri: string;
}

/** One entry of the request log (inspection API). */
export interface RequestLogEntry {
  atMs: number;
  method: string;
  path: string;
  /** Query parameters as sent (the last value wins for a repeated name). */
  query: Record<string, string>;
  /** Request body size in bytes. */
  bodyBytes: number;
  status: number;
  /** What happened besides the status: `reset`, `timeout`, `commit-then-drop`, `rate-limited:<layer>`. */
  outcome?: string;
  clientId?: string;
  orgId?: string;
  contactCount?: number;
  correlationId: string;
}

/** The query flags of `POST .../contacts` that decide what an update does to the dialing queue. */
export interface ContactWriteFlags {
  doNotQueue: boolean;
  priority: boolean;
  clearSystemData: boolean;
}

/** How a write reached a list: an API upsert (with query flags), a file import, or a scenario seed. */
export type ContactWriteSource = 'api' | 'import' | 'seed';

/**
 * Where a contact stands in the simulated dialing queue: `queued` (waiting to be dialed,
 * `priority` ones first) or `dialed` (a campaign called it: see `inspect.markDialed`).
 */
export type ContactQueueState = 'queued' | 'dialed';

/**
 * What the Sandbox knows about one stored contact beyond the API view, for tests: how often it
 * was written (API upserts and imports that committed), the flags of the last write, and its
 * queue state (docs/GENESYS.md#contact-do-not-queue).
 */
export interface ContactWriteRecord {
  id: string;
  writes: number;
  /** Flags of the last `POST .../contacts` that wrote it; undefined when only an import did. */
  lastFlags: ContactWriteFlags | undefined;
  queueState: ContactQueueState;
  /** True when the contact was last queued with `priority=true` (dialed next). */
  queuedWithPriority: boolean;
  /** Times `inspect.markDialed` dialed it since it was created or its system data was cleared. */
  dialAttempts: number;
}

/** An answer the Sandbox gives instead of handling matching requests (inspection API). */
export interface ScriptedAnswer {
  /** Route template, e.g. `POST /api/v2/outbound/contactlists/{id}/contacts`. */
  route: string;
  status: number;
  code: string;
  message: string;
  /** How many matching requests get this answer. */
  count: number;
}

/** Public view of an org (credentials included: it is a local simulator). */
export interface SandboxOrgInfo {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  pkceClientId: string;
  contactListIds: string[];
}

/** Running totals for tests and benchmarks. */
export interface SandboxCounters {
  requests: number;
  byStatus: Record<string, number>;
  /** Requests refused with 429, per limit layer name. */
  rateLimitedByLayer: Record<string, number>;
  /** Faults injected, by kind. */
  faults: Record<string, number>;
  contactsStored: number;
  contactsReceived: number;
  tokensIssued: number;
}
