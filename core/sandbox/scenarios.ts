import { createHash } from 'node:crypto';
import { assertValidConfig } from './config-schema';
import type {
  ContactRules,
  DeepPartial,
  FaultConfig,
  LimitLayerConfig,
  SandboxConfig,
  SandboxOrgConfig,
  ScenarioName,
  SeedList,
} from './types';

/** Every scenario name, for CLI help and validation. */
export const SCENARIO_NAMES: readonly ScenarioName[] = ['demo', 'field-report', 'flaky', 'strict'];

/** Route template of the upload endpoint, used by endpoint-scoped limits and faults. */
export const POST_CONTACTS_ROUTE = 'POST /api/v2/outbound/contactlists/{id}/contacts';

/**
 * Help article "Create a new contact list" (docs/GENESYS.md#list-value-limits, #list-capacity): 50 columns, 128-char names, 512-char
 * values, 1,000,000 contacts per list, 5,000,000 per org, 1,000 lists per org. The per-request
 * caps (1,000 contacts, 512,000 bytes) are unconfirmed, hence configurable.
 */
const DEFAULT_RULES: ContactRules = {
  maxContactsPerRequest: 1000,
  maxRequestBytes: 512_000,
  maxValueLength: 512,
  maxColumns: 50,
  maxColumnNameLength: 128,
  maxContactsPerList: 1_000_000,
  maxContactsPerOrg: 5_000_000,
  maxListsPerOrg: 1000,
  maxPhoneColumns: 10,
};

const NO_FAULTS: FaultConfig = {
  status500: 0,
  status502: 0,
  status503: 0,
  status504: 0,
  connectionReset: 0,
  timeout: 0,
  commitThenDrop: 0,
  latency: { minMs: 0, maxMs: 0, spikeProbability: 0, spikeMs: 0 },
  tokenExpiresAfterRequests: 0,
  endpoints: [],
};

/** Unconfirmed `client.credentials.token.rate.per.minute` = 300 (docs/GENESYS.md#layered-limits). */
export const PER_CLIENT_300_PER_MINUTE: LimitLayerConfig = {
  name: 'client.credentials.token.rate.per.minute',
  scope: 'client',
  requests: 300,
  windowMs: 60_000,
  window: 'fixed',
  reported: true,
};

/** A stable UUID-shaped id from a text, so seeded ids survive restarts. */
export function stableId(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function demoLists(orgId: string): SeedList[] {
  return [
    {
      id: stableId(`${orgId}/Spring renewals`),
      name: 'Spring renewals',
      columnNames: [
        'FirstName',
        'LastName',
        'HomePhone',
        'MobilePhone',
        'Email',
        'AccountId',
        'Region',
        'ZipCode',
      ],
      phoneColumns: [
        { columnName: 'HomePhone', type: 'Home' },
        { columnName: 'MobilePhone', type: 'Cell' },
      ],
      emailColumns: [{ columnName: 'Email', type: 'Work' }],
      zipCodeColumnName: 'ZipCode',
      automaticTimeZoneMapping: true,
      contacts: [
        {
          id: 'ACC-1001',
          data: {
            FirstName: 'Ada',
            LastName: 'Lovelace',
            HomePhone: '+13175550101',
            MobilePhone: '+13175550102',
            Email: 'ada@example.com',
            AccountId: 'ACC-1001',
            Region: 'Midwest',
            ZipCode: '46204',
          },
        },
      ],
    },
    {
      id: stableId(`${orgId}/Collections Q3`),
      name: 'Collections Q3',
      columnNames: ['CustomerId', 'FullName', 'Phone', 'BalanceDue', 'DueDate', 'Language'],
      phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
      columnDataTypeSpecifications: [
        { columnName: 'BalanceDue', columnDataType: 'NUMERIC', min: 0, max: 1_000_000 },
        { columnName: 'DueDate', columnDataType: 'TIMESTAMP' },
        { columnName: 'Language', columnDataType: 'TEXT', maxLength: 5 },
      ],
    },
    {
      id: stableId(`${orgId}/Webinar follow-up`),
      name: 'Webinar follow-up',
      columnNames: ['Email', 'FirstName', 'Company', 'WorkPhone', 'Score'],
      phoneColumns: [{ columnName: 'WorkPhone', type: 'Work' }],
      emailColumns: [{ columnName: 'Email', type: 'Work' }],
      previewModeColumnName: 'Score',
      previewModeAcceptedValues: ['hot', 'warm'],
      trimWhitespace: true,
    },
  ];
}

/** An org with derived credentials; `index` 0 is the built-in "Sandbox" org. */
export function makeOrg(name: string, clientId: string, clientSecret: string): SandboxOrgConfig {
  const id = stableId(`org/${name}`);
  return {
    id,
    name,
    clientId,
    clientSecret,
    pkceClientId: `${clientId}-pkce`,
    user: {
      id: stableId(`user/${name}`),
      name: 'Sandbox Consultant',
      email: 'consultant@sandbox.local',
    },
    lists: demoLists(id),
  };
}

function demo(): SandboxConfig {
  return {
    orgs: [makeOrg('Sandbox', 'sandbox-client', 'sandbox-secret')],
    limits: [PER_CLIENT_300_PER_MINUTE],
    retryAfterMode: 'honest',
    faults: NO_FAULTS,
    rules: DEFAULT_RULES,
    tokenLifetimeSeconds: 86_400,
    importRowsPerSecond: 5000,
    importStatusMinRows: 0,
    importFinishedState: 'omitted',
    listSizeLagMs: 0,
  };
}

/**
 * The motivating field report (docs/GENESYS.md#layered-limits): the per-client 300/min layer is the one the headers
 * and `Retry-After` describe, while a hidden, tighter per-org layer on the upload endpoint binds.
 * A second tenant shares nothing with the first (its own client, lists and budgets).
 */
function fieldReport(): SandboxConfig {
  return {
    ...demo(),
    orgs: [
      makeOrg('Sandbox', 'sandbox-client', 'sandbox-secret'),
      makeOrg('Partner Tenant', 'partner-client', 'partner-secret'),
    ],
    limits: [
      PER_CLIENT_300_PER_MINUTE,
      {
        name: 'outbound.contacts.upload.per.org (hidden)',
        scope: 'org',
        endpoint: POST_CONTACTS_ROUTE,
        requests: 120,
        windowMs: 120_000,
        window: 'fixed',
        reported: false,
      },
    ],
    retryAfterMode: 'short',
  };
}

/** Everything that can go wrong on a bad day: 5xx, resets, timeouts, lost responses, token expiry. */
function flaky(): SandboxConfig {
  return {
    ...demo(),
    faults: {
      status500: 0.01,
      status502: 0.02,
      status503: 0.02,
      status504: 0.01,
      connectionReset: 0.01,
      timeout: 0.005,
      commitThenDrop: 0.02,
      latency: { minMs: 5, maxMs: 80, spikeProbability: 0.01, spikeMs: 1500 },
      tokenExpiresAfterRequests: 500,
      endpoints: [],
    },
  };
}

/** Tight sliding windows as seen in the field headers (allowed 180), plus an org-wide layer. */
function strict(): SandboxConfig {
  return {
    ...demo(),
    limits: [
      { ...PER_CLIENT_300_PER_MINUTE, requests: 180, window: 'sliding' },
      {
        name: 'org.app.user.rate.per.minute',
        scope: 'org',
        requests: 300,
        windowMs: 60_000,
        window: 'sliding',
        reported: false,
      },
    ],
    tokenLifetimeSeconds: 300,
  };
}

const SCENARIOS: Record<ScenarioName, () => SandboxConfig> = {
  demo,
  'field-report': fieldReport,
  flaky,
  strict,
};

/**
 * The configuration of a scenario with JSON overrides applied (objects merged key by key,
 * arrays and values replaced). Throws with a readable message on an unknown scenario or an
 * invalid number.
 */
export function buildConfig(
  scenario: ScenarioName = 'demo',
  overrides?: DeepPartial<SandboxConfig>,
): SandboxConfig {
  const preset = SCENARIOS[scenario];
  if (preset === undefined) {
    throw new Error(
      `Unknown sandbox scenario "${scenario}". Use one of: ${SCENARIO_NAMES.join(', ')}.`,
    );
  }
  const config = deepMerge(preset(), overrides ?? {}) as SandboxConfig;
  if (Array.isArray(config.orgs)) {
    config.orgs = (config.orgs as DeepPartial<SandboxOrgConfig>[]).map(completeOrg);
  }
  validateConfig(config);
  return config;
}

/**
 * Lets an override list orgs by just `{name, clientId, clientSecret}` (or less): the rest (id,
 * PKCE client, user, the demo lists) is derived, so several orgs fit in a short JSON file.
 */
function completeOrg(org: DeepPartial<SandboxOrgConfig>, index: number): SandboxOrgConfig {
  if (typeof org !== 'object' || org === null) return org;
  const name = org.name ?? `Org ${index + 1}`;
  const clientId = org.clientId ?? `org${index + 1}-client`;
  const derived = makeOrg(name, clientId, org.clientSecret ?? `org${index + 1}-secret`);
  const id = org.id ?? derived.id;
  return {
    ...derived,
    ...(org.lists === undefined ? { lists: demoLists(id) } : {}),
    ...(org as Partial<SandboxOrgConfig>),
    id,
  };
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateConfig(config: SandboxConfig): void {
  assertValidConfig(config);
  const clientIds = new Set<string>();
  for (const org of config.orgs) {
    for (const id of [org.clientId, org.pkceClientId]) {
      if (clientIds.has(id)) throw new Error(`Sandbox config: client id "${id}" is used twice.`);
      clientIds.add(id);
    }
  }
}
