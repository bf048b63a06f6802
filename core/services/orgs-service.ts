import type { Services } from '../contract';
import { REGIONS } from '../genesys/regions';
import type { OrgRegistry } from './orgs-registry';

type OrgsChannel =
  | 'orgs:list'
  | 'orgs:add'
  | 'orgs:update'
  | 'orgs:remove'
  | 'orgs:test'
  | 'orgs:signIn'
  | 'orgs:cancelSignIn'
  | 'orgs:signOut'
  | 'orgs:regions'
  | 'orgs:secretStorage';

/**
 * The `orgs:*` handlers over one {@link OrgRegistry}. Payloads arrive validated by the
 * dispatcher; answers never carry a secret or a token (the renderer learns `hasSecret`/`status`).
 */
export function createOrgsServices(registry: OrgRegistry): Pick<Services, OrgsChannel> {
  return {
    'orgs:list': () => registry.list(),
    'orgs:add': (input) => registry.add(input),
    'orgs:update': (update) => registry.update(update),
    'orgs:remove': async ({ id }) => ({ removed: await registry.remove(id) }),
    'orgs:test': ({ id }) => registry.test(id),
    'orgs:signIn': ({ id }) => registry.signIn(id),
    'orgs:cancelSignIn': ({ id }) => registry.cancelSignIn(id),
    'orgs:signOut': ({ id }) => registry.signOut(id),
    'orgs:regions': async () =>
      REGIONS.map(({ region, label, apiUrl }) => ({ region, label, apiUrl })),
    'orgs:secretStorage': async () => registry.secretStorage(),
  };
}
