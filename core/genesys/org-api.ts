import {
  callGenesys,
  createGenesysApiClient,
  GenesysApiError,
  type GenesysApiClients,
  type GenesysResponse,
  type GenesysTarget,
} from './sdk-client';
import type { TokenSource } from './token-source';

/**
 * One org's SDK client bound to its token source. Every call gets a current token
 * (`apiClient.setAccessToken`), and a 401 invalidates that token and retries once with a fresh
 * one (a second 401 is a real authorisation problem and is thrown).
 */
export interface OrgApi {
  readonly clients: GenesysApiClients;
  readonly tokens: TokenSource;
  /** The display name used in error messages. */
  readonly orgLabel: string;
  call<T>(invoke: (clients: GenesysApiClients) => Promise<unknown>): Promise<GenesysResponse<T>>;
}

/** Builds the {@link OrgApi} of one org (a fresh SDK client per org: see sdk-client.ts). */
export function createOrgApi(
  target: GenesysTarget,
  tokens: TokenSource,
  orgLabel: string,
  options: { timeoutMs?: number } = {},
): OrgApi {
  const clients = createGenesysApiClient(target, options);
  // setAccessToken and the call run in the same tick, so concurrent calls never mix tokens.
  const send = <T>(token: string, invoke: (clients: GenesysApiClients) => Promise<unknown>) => {
    clients.apiClient.setAccessToken(token);
    return callGenesys<T>(() => invoke(clients));
  };
  return {
    clients,
    tokens,
    orgLabel,
    async call<T>(invoke: (clients: GenesysApiClients) => Promise<unknown>) {
      const first = await tokens.getAccessToken();
      try {
        return await send<T>(first, invoke);
      } catch (error) {
        if (!(error instanceof GenesysApiError) || error.status !== 401) throw error;
        // The token was refused (expired early, revoked): drop it and try once with a new one.
        tokens.invalidate(first);
        return send<T>(await tokens.getAccessToken(), invoke);
      }
    },
  };
}
