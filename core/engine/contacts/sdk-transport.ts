import type platformClient from 'purecloud-platform-client-v2';
import { createGenesysApiClient, type GenesysTarget } from '../../genesys/sdk-client';
import { networkFailureOf } from '../../genesys/http/network-failure';
import type { HeaderMap } from '../../genesys/http/rate-limit-headers';
import {
  defaultContactWriteOptions,
  type ContactWriteOptions,
  type ContactsTransport,
  type TransportResult,
} from './transport';

/**
 * The same transport through the official SDK (`postOutboundContactlistContacts` with extended
 * responses and the same queue flags). Kept for the benchmark's comparison with the fetch transport; the SDK's
 * logger deep-clones every body twice, which the benchmark measures. Network failures (a raw
 * AxiosError, no `status`) become `network` results.
 */
export function createSdkTransport(
  target: GenesysTarget,
  options: { timeoutMs?: number; writeOptions?: ContactWriteOptions } = {},
): ContactsTransport {
  const flags = options.writeOptions ?? defaultContactWriteOptions;
  const query = {
    doNotQueue: !flags.requeueUpdated,
    priority: flags.priority,
    clearSystemData: flags.clearSystemData,
  };
  const { apiClient, outbound } = createGenesysApiClient(target, {
    timeoutMs: options.timeoutMs ?? 16_000,
  });
  return {
    async postContacts({ contactListId, bodyJson, accessToken }) {
      const started = performance.now();
      apiClient.setAccessToken(accessToken);
      const body = JSON.parse(bodyJson) as platformClient.Models.WritableDialerContact[];
      try {
        const result = (await outbound.postOutboundContactlistContacts(
          contactListId,
          body,
          query,
        )) as unknown as Extended;
        return toResult(result, started);
      } catch (error) {
        const extended = error as Partial<Extended> & { message?: string };
        if (typeof extended.status === 'number' && extended.status > 0)
          return toResult(extended as Extended, started);
        // Without a status the SDK rejected with axios's own error: its code tells the failure.
        return {
          kind: 'network',
          message: extended.message ?? String(error),
          latencyMs: performance.now() - started,
          ...networkFailureOf(error),
        };
      }
    },
  };
}

interface Extended {
  status: number;
  headers?: Record<string, unknown>;
  body?: unknown;
}

function toResult(result: Extended, started: number): TransportResult {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : value === undefined
        ? undefined
        : String(value);
  }
  return {
    kind: 'response',
    status: result.status,
    headers,
    bodyText: result.body === undefined ? '' : JSON.stringify(result.body),
    latencyMs: performance.now() - started,
  };
}
