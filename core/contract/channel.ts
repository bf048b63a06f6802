import { z } from 'zod';

/**
 * One request/response channel of the IPC contract. Both shells (Electron IPC and the
 * loopback WebSocket host) validate every inbound request with `request` before a service
 * sees it, so a service never handles an unchecked payload.
 */
export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}

/** Declares a channel; exists so each feature file reads as a table of typed channels. */
export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
): ChannelSpec<Req, Res> {
  return { request, response };
}

/** A request that carries nothing. */
export const Empty = z.object({}).strict();
