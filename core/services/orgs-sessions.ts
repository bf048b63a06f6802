import type { OrgSummary } from '../contract';
import { ContractError } from '../contract';
import type { CachingTokenSource } from '../genesys/cached-token-source';
import { createClientCredentialsTokenSource } from '../genesys/client-credentials';
import { createOrgApi, type OrgApi } from '../genesys/org-api';
import { signInWithPkce } from '../genesys/pkce';
import { resolveEndpoint, type OrgEndpoint } from '../genesys/regions';
import type { GenesysTarget } from '../genesys/sdk-client';
import { createSessionTokenSource } from '../genesys/session-token-source';
import type { OrgProfile } from '../store/org-profile';

/** The built-in Sandbox org's id; it has no profile file entry and cannot be removed. */
export const SANDBOX_ORG_ID = 'sandbox';

/** What the registry needs to know about a running sandbox (a `startSandbox()` result fits). */
export interface SandboxLink {
  url: string;
  orgs: readonly { name?: string; clientId: string; clientSecret: string }[];
}

/** What the engine needs to talk to one org: where, and a token source. */
export interface OrgConnection {
  orgId: string;
  orgLabel: string;
  target: GenesysTarget;
  /** REST base URL, e.g. `https://api.mypurecloud.ie` or the sandbox's URL. */
  apiUrl: string;
  tokens: CachingTokenSource;
  /** The org's SDK client with token handling and one retry on 401. */
  api: OrgApi;
}

/** One org's in-memory sign-in state (never persisted). */
export interface Session {
  status: OrgSummary['status'];
  message?: string | undefined;
  connection?: OrgConnection | undefined;
  cancel?: AbortController | undefined;
  /** The sign-in under way, shared by callers that need the connection meanwhile. */
  pending?: Promise<OrgSummary> | undefined;
  genesysOrgName?: string | undefined;
  genesysOrgId?: string | undefined;
}

/** Where a profile's calls go. */
export function endpointOf(profile: OrgProfile): OrgEndpoint {
  return profile.region === 'custom'
    ? { apiUrl: profile.apiUrl ?? '' }
    : { region: profile.region };
}

/** A client-credentials token source for `profile`; refuses when no secret is stored. */
export function clientCredentialsSource(
  profile: OrgProfile,
  secret: string | undefined,
  secretsPersistent: boolean,
): CachingTokenSource {
  if (!secret) {
    throw new ContractError(
      'unauthorized',
      `No client secret is stored for ${profile.name}${secretsPersistent ? '' : ' in this session'}. Edit the org and enter its client secret.`,
    );
  }
  return createClientCredentialsTokenSource({
    ...endpointOf(profile),
    clientId: profile.clientId,
    clientSecret: secret,
    orgLabel: profile.name,
  });
}

/** Runs the browser sign-in of a PKCE profile and wraps its token; refuses without a browser. */
export async function pkceSource(
  profile: OrgProfile,
  options: {
    openBrowser: ((url: string) => Promise<void> | void) | undefined;
    signal: AbortSignal;
    timeoutMs: number | undefined;
  },
): Promise<CachingTokenSource> {
  if (!options.openBrowser) {
    throw new ContractError(
      'unavailable',
      `Personal sign-in to ${profile.name} needs a browser, which this shell cannot open.`,
    );
  }
  const token = await signInWithPkce({
    ...endpointOf(profile),
    clientId: profile.clientId,
    orgLabel: profile.name,
    openBrowser: options.openBrowser,
    signal: options.signal,
    ...(profile.redirectPort === undefined ? {} : { redirectPort: profile.redirectPort }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return createSessionTokenSource(token, profile.name);
}

/** Builds the org's SDK client around its token source. */
export function connectProfile(profile: OrgProfile, tokens: CachingTokenSource): OrgConnection {
  const endpoint = resolveEndpoint(endpointOf(profile));
  const target: GenesysTarget =
    profile.region === 'custom' ? { baseUrl: endpoint.apiUrl } : { region: profile.region };
  return {
    orgId: profile.id,
    orgLabel: profile.name,
    target,
    apiUrl: endpoint.apiUrl,
    tokens,
    api: createOrgApi(target, tokens, profile.name),
  };
}

/** The built-in Sandbox org's profile: the simulator's URL and its demo client (no file entry). */
export function sandboxProfileFor(sandbox: SandboxLink): OrgProfile | undefined {
  const demo = sandbox.orgs[0];
  if (!demo) return undefined;
  return {
    id: SANDBOX_ORG_ID,
    name: 'Sandbox',
    region: 'custom',
    apiUrl: sandbox.url,
    authMethod: 'client-credentials',
    clientId: demo.clientId,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
  };
}

/** What the renderer sees of an org: profile, status, expiry; never a secret or a token. */
export function summariseProfile(
  profile: OrgProfile,
  session: Session | undefined,
  flags: { builtIn: boolean; hasSecret: boolean },
): OrgSummary {
  const expiresAtMs = session?.connection?.tokens.expiresAtMs();
  const summary: OrgSummary = {
    id: profile.id,
    name: profile.name,
    region: profile.region,
    apiUrl: resolveEndpoint(endpointOf(profile)).apiUrl,
    authMethod: profile.authMethod,
    builtIn: flags.builtIn,
    status: session?.status ?? 'signed-out',
    clientId: profile.clientId,
    hasSecret: flags.hasSecret,
  };
  const message =
    session?.message ?? (flags.builtIn ? 'Built-in simulator of the Genesys Cloud API' : undefined);
  if (message) summary.statusMessage = message;
  if (profile.redirectPort !== undefined) summary.redirectPort = profile.redirectPort;
  if (expiresAtMs !== undefined) summary.tokenExpiresAt = new Date(expiresAtMs).toISOString();
  if (session?.genesysOrgName) summary.genesysOrgName = session.genesysOrgName;
  if (session?.genesysOrgId) summary.genesysOrgId = session.genesysOrgId;
  return summary;
}
