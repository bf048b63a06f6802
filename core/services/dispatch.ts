import { z } from 'zod';
import {
  channels,
  ContractError,
  isChannelName,
  type CallResult,
  type Services,
} from '../contract';

/**
 * Runs one call from an untrusted transport: checks the channel exists, validates the payload
 * with the channel's schema, runs the service and wraps the outcome. Never throws: a bad payload
 * or a failing service becomes a typed error the renderer can show.
 */
export async function dispatch(
  services: Services,
  channelName: unknown,
  payload: unknown,
): Promise<CallResult<unknown>> {
  if (!isChannelName(channelName)) {
    return {
      ok: false,
      error: { code: 'unknown-channel', message: `Unknown channel: ${String(channelName)}` },
    };
  }
  const spec = channels[channelName];
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-request',
        message: `Invalid request for ${channelName}: ${z.prettifyError(parsed.error)}`,
      },
    };
  }
  try {
    const handler = services[channelName] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof ContractError) return { ok: false, error: error.toShape() };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `${channelName} failed: ${message}` } };
  }
}
