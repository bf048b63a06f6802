import { z } from 'zod';
import { REGION_DOMAINS, type RegionKey } from '../genesys/regions';

const regionKeys = Object.keys(REGION_DOMAINS) as [RegionKey, ...RegionKey[]];

/** A region key from the table, or `custom` for a base URL (sandbox, proxy). */
export const ProfileRegion = z.enum([...regionKeys, 'custom']);
export type ProfileRegion = z.infer<typeof ProfileRegion>;

/**
 * One saved org: where it lives and how to sign in. Holds no secret: the client secret lives in
 * the {@link SecretStore} under the profile id. Stored in `org-profiles.json` in the data folder.
 */
export const OrgProfile = z
  .object({
    /** Stable id, also the keychain account name (`[a-z0-9-]`). */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id is lowercase letters, digits and -'),
    name: z.string().trim().min(1, 'a name is required').max(100),
    region: ProfileRegion,
    /** The base URL when `region` is `custom` (e.g. `http://127.0.0.1:4100`). */
    apiUrl: z.string().url().optional(),
    /**
     * A custom org saved with the address of the app's built-in Sandbox (another tenant of it):
     * that address changes at every launch, so the org follows the Sandbox wherever it listens
     * and `apiUrl` is only where it was when saved (docs/ARCHITECTURE.md, "Orgs").
     */
    atBuiltInSandbox: z.literal(true).optional(),
    authMethod: z.enum(['client-credentials', 'pkce']),
    clientId: z.string().trim().min(1, 'a client id is required').max(200),
    /**
     * PKCE only: a fixed loopback port when the OAuth client's registered redirect URI needs
     * one (`http://127.0.0.1:{port}/callback`); a random port otherwise.
     */
    redirectPort: z.number().int().min(1024).max(65535).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .refine((profile) => profile.region !== 'custom' || profile.apiUrl !== undefined, {
    message: 'a custom org needs a base URL',
    path: ['apiUrl'],
  });
export type OrgProfile = z.infer<typeof OrgProfile>;

/** Makes a readable, unique profile id from a display name (`Acme EU` → `acme-eu`, `acme-eu-2`). */
export function profileIdFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'org';
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
