import { z } from 'zod';
import { channel, Empty } from './channel';

/** How Sluice signs in to an org. */
export const AuthMethod = z.enum(['client-credentials', 'pkce']);
export type AuthMethod = z.infer<typeof AuthMethod>;

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
});
export type OrgSummary = z.infer<typeof OrgSummary>;

export const orgsChannels = {
  'orgs:list': channel(Empty, z.array(OrgSummary)),
};
