/**
 * Genesys Cloud regions and their hosts (docs/GENESYS.md#hosts-and-regions, from the SDK's `PureCloudRegionHosts.js`).
 * Every region serves three hosts on the same domain: `api.` (REST), `login.` (OAuth) and
 * `apps.` (legacy uploads, web app).
 */
export const REGION_DOMAINS = {
  us_east_1: 'mypurecloud.com',
  us_east_2: 'use2.us-gov-pure.cloud',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  eu_west_1: 'mypurecloud.ie',
  eu_west_2: 'euw2.pure.cloud',
  eu_central_1: 'mypurecloud.de',
  eu_central_2: 'euc2.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  ap_northeast_2: 'apne2.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
} as const;

/** A Genesys region key as the SDK names it (e.g. `eu_west_1`). */
export type RegionKey = keyof typeof REGION_DOMAINS;

/** Human labels for the region picker (AWS location names, as Genesys documents them). */
const REGION_LABELS: Record<RegionKey, string> = {
  us_east_1: 'Americas (US East)',
  us_east_2: 'Americas (US East 2, FedRAMP)',
  us_west_2: 'Americas (US West)',
  ca_central_1: 'Americas (Canada)',
  sa_east_1: 'Americas (São Paulo)',
  mx_central_1: 'Americas (Mexico)',
  eu_west_1: 'EMEA (Dublin)',
  eu_west_2: 'EMEA (London)',
  eu_central_1: 'EMEA (Frankfurt)',
  eu_central_2: 'EMEA (Zurich)',
  eusc_de_east_1: 'EMEA (EU Sovereign Cloud, Germany)',
  me_central_1: 'EMEA (UAE)',
  ap_south_1: 'Asia Pacific (Mumbai)',
  ap_southeast_1: 'Asia Pacific (Jakarta)',
  ap_southeast_2: 'Asia Pacific (Sydney)',
  ap_northeast_1: 'Asia Pacific (Tokyo)',
  ap_northeast_2: 'Asia Pacific (Seoul)',
  ap_northeast_3: 'Asia Pacific (Osaka)',
};

/** The three base URLs of one region (no trailing slash). */
export interface RegionHosts {
  region: RegionKey;
  label: string;
  domain: string;
  /** REST base, e.g. `https://api.mypurecloud.ie`. */
  apiUrl: string;
  /** OAuth base, e.g. `https://login.mypurecloud.ie`. */
  loginUrl: string;
  /** Apps base (legacy multipart uploads), e.g. `https://apps.mypurecloud.ie`. */
  appsUrl: string;
}

/** Every region in table order, with its hosts; feeds the region picker and `orgs add --region`. */
export const REGIONS: readonly RegionHosts[] = (Object.keys(REGION_DOMAINS) as RegionKey[]).map(
  (region) => regionHosts(region),
);

/** Narrows an untrusted string (settings file, CLI flag) to a region key. */
export function isRegionKey(value: unknown): value is RegionKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REGION_DOMAINS, value);
}

/** The hosts of `region`. */
export function regionHosts(region: RegionKey): RegionHosts {
  const domain = REGION_DOMAINS[region];
  return {
    region,
    label: REGION_LABELS[region],
    domain,
    apiUrl: `https://api.${domain}`,
    loginUrl: `https://login.${domain}`,
    appsUrl: `https://apps.${domain}`,
  };
}

/** Where an org's REST and OAuth calls go: a region, or one custom base URL (sandbox, proxy). */
export type OrgEndpoint = { region: RegionKey } | { apiUrl: string };

/** Resolved base URLs of an endpoint (no trailing slash). */
export interface ResolvedEndpoint {
  /** Region key, or `custom` for a base URL. */
  region: RegionKey | 'custom';
  apiUrl: string;
  loginUrl: string;
  appsUrl: string;
}

/**
 * Resolves an endpoint to its base URLs. A custom base URL (the sandbox, a proxy) serves the
 * REST API, `/oauth/*` and uploads from the same origin, the way the SDK's `setGateway` does.
 * Throws with an actionable message when the URL is not http(s).
 */
export function resolveEndpoint(endpoint: OrgEndpoint): ResolvedEndpoint {
  if ('region' in endpoint) {
    const { apiUrl, loginUrl, appsUrl } = regionHosts(endpoint.region);
    return { region: endpoint.region, apiUrl, loginUrl, appsUrl };
  }
  const base = normaliseBaseUrl(endpoint.apiUrl);
  return { region: 'custom', apiUrl: base, loginUrl: base, appsUrl: base };
}

/** Checks and trims a custom base URL (`http(s)://host[:port][/path]`, no trailing slash). */
export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`"${raw}" is not a valid URL. Use a base URL such as http://127.0.0.1:8080.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${raw}" must start with http:// or https://.`);
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** Finds the region whose api/login/apps host matches `url`, if any (e.g. a pasted API URL). */
export function regionForUrl(url: string): RegionKey | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return REGIONS.find((entry) =>
    ['api.', 'login.', 'apps.'].some((prefix) => host === `${prefix}${entry.domain}`),
  )?.region;
}
