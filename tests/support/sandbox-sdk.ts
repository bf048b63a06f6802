import {
  createGenesysApiClient,
  toGenesysApiError,
  type GenesysApiClients,
} from '../../core/genesys/sdk-client';
import type { CachingTokenSource } from '../../core/genesys/cached-token-source';
import { createClientCredentialsTokenSource } from '../../core/genesys/client-credentials';
import type { Sandbox } from '../../core/sandbox';

/**
 * A signed-in SDK client for one sandbox org (client credentials through the SDK itself), for
 * integration tests. `orgIndex` 0 is the default org.
 */
export async function signedInClient(
  sandbox: Sandbox,
  orgIndex = 0,
  options: { timeoutMs?: number } = {},
): Promise<GenesysApiClients & { accessToken: string }> {
  const org = sandbox.inspect.orgs()[orgIndex];
  if (org === undefined) throw new Error(`The sandbox has no org #${orgIndex}.`);
  const clients = createGenesysApiClient({ baseUrl: sandbox.url }, options);
  // The login calls resolve with the SDK's AuthData (not an extended response) and reject with a
  // raw AxiosError: convert the rejection only.
  const auth = await clients.apiClient
    .loginClientCredentialsGrant(org.clientId, org.clientSecret)
    .catch((error: unknown) => {
      throw toGenesysApiError(error);
    });
  return { ...clients, accessToken: auth.accessToken };
}

/**
 * The engine's own client-credentials token source for one sandbox org (the way the app and the
 * CLI sign in). `orgIndex` 0 is the default org.
 */
export function orgTokenSource(sandbox: Sandbox, orgIndex = 0): CachingTokenSource {
  const org = sandbox.orgs[orgIndex];
  if (org === undefined) throw new Error(`The sandbox has no org #${orgIndex}.`);
  return createClientCredentialsTokenSource({
    apiUrl: sandbox.url,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
  });
}
