import { z } from 'zod';
import { channel, Empty } from './channel';

/** How Sluice signs in to an org. */
export const AuthMethod = z.enum(['client-credentials', 'pkce']);
export type AuthMethod = z.infer<typeof AuthMethod>;

/** Where secrets are kept on this machine (the UI warns when it is `memory`). */
export const SecretStorageKind = z.enum(['keychain', 'safe-storage', 'memory']);
export type SecretStorageKind = z.infer<typeof SecretStorageKind>;

/** An org as the renderer sees it: never a secret, never a token. */
export const OrgSummary = z.object({
  id: z.string(),
  name: z.string(),
  /** Genesys region key (e.g. `eu_west_1`) or `custom` for a base URL such as the sandbox. */
  region: z.string(),
  apiUrl: z.string(),
  authMethod: AuthMethod,
  builtIn: z.boolean(),
  status: z.enum(['signed-out', 'signing-in', 'signed-in', 'error']),
  statusMessage: z.string().optional(),
  /** The OAuth client id (not a secret; shown so the consultant can tell clients apart). */
  clientId: z.string().optional(),
  /** Client credentials: whether a secret is stored for this org (the secret itself never leaves main). */
  hasSecret: z.boolean().optional(),
  /** PKCE: fixed loopback port of the redirect URI, when the OAuth client needs one. */
  redirectPort: z.number().int().optional(),
  /** When the current token expires (ISO 8601), while signed in. */
  tokenExpiresAt: z.string().optional(),
  /** The Genesys org name and id learnt by the last sign-in or connection test. */
  genesysOrgName: z.string().optional(),
  genesysOrgId: z.string().optional(),
});
export type OrgSummary = z.infer<typeof OrgSummary>;

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/]+/.test(value), 'must be an http(s) URL');

/**
 * What the Orgs form sends to add an org. `clientSecret` is write-only: it goes straight to the
 * secret store and is never sent back. `apiUrl` is required when `region` is `custom`.
 */
export const OrgInput = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(100),
    region: z.string().min(1).max(200),
    apiUrl: httpUrl.optional(),
    authMethod: AuthMethod,
    clientId: z.string().trim().min(1, 'a client id is required').max(200),
    clientSecret: z.string().min(1).max(500).optional(),
    redirectPort: z.number().int().min(1024).max(65535).optional(),
  })
  .strict();
export type OrgInput = z.infer<typeof OrgInput>;

/** Changes to an org; absent fields are kept. An empty `clientSecret` is refused (use remove). */
export const OrgUpdate = z
  .object({
    id: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(100).optional(),
    region: z.string().min(1).max(200).optional(),
    apiUrl: httpUrl.optional(),
    authMethod: AuthMethod.optional(),
    clientId: z.string().trim().min(1).max(200).optional(),
    clientSecret: z.string().min(1).max(500).optional(),
    redirectPort: z.number().int().min(1024).max(65535).nullable().optional(),
  })
  .strict();
export type OrgUpdate = z.infer<typeof OrgUpdate>;

/** One org-level limit from `GET /api/v2/organizations/limits/namespaces/{namespace}`. */
export const OrgLimit = z.object({ namespace: z.string(), key: z.string(), value: z.number() });
export type OrgLimit = z.infer<typeof OrgLimit>;

/** What "Test connection" found: who the org is, whether lists are visible, its limits. */
export const ConnectionReport = z.object({
  orgId: z.string(),
  genesysOrgName: z.string(),
  genesysOrgId: z.string(),
  apiUrl: z.string(),
  /** True when `GET /outbound/contactlists` answered (permission `outbound:contactList:view`). */
  canViewContactLists: z.boolean(),
  contactListCount: z.number().optional(),
  /** Why lists are not visible (missing permission...), as an actionable sentence. */
  permissionMessage: z.string().optional(),
  limits: z.array(OrgLimit),
  /** Set when the limits could not be read (the test still passes: limits are advisory). */
  limitsMessage: z.string().optional(),
  checkedAt: z.string(),
});
export type ConnectionReport = z.infer<typeof ConnectionReport>;

/** A region of the picker. */
export const RegionOption = z.object({ region: z.string(), label: z.string(), apiUrl: z.string() });
export type RegionOption = z.infer<typeof RegionOption>;

/** Where secrets go on this machine, with the warning to show when it is not the keychain. */
export const SecretStorageInfo = z.object({
  kind: SecretStorageKind,
  persistent: z.boolean(),
  description: z.string(),
  warning: z.string().optional(),
});
export type SecretStorageInfo = z.infer<typeof SecretStorageInfo>;

const OrgRef = z.object({ id: z.string().min(1).max(200) }).strict();

export const orgsChannels = {
  'orgs:list': channel(Empty, z.array(OrgSummary)),
  'orgs:add': channel(OrgInput, OrgSummary),
  'orgs:update': channel(OrgUpdate, OrgSummary),
  'orgs:remove': channel(OrgRef, z.object({ removed: z.boolean() })),
  'orgs:test': channel(OrgRef, ConnectionReport),
  /** Client credentials: fetches a token. PKCE: opens the system browser and waits. */
  'orgs:signIn': channel(OrgRef, OrgSummary),
  /** Cancels a PKCE sign-in waiting for the browser. */
  'orgs:cancelSignIn': channel(OrgRef, OrgSummary),
  'orgs:signOut': channel(OrgRef, OrgSummary),
  'orgs:regions': channel(Empty, z.array(RegionOption)),
  'orgs:secretStorage': channel(Empty, SecretStorageInfo),
};
