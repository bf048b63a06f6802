import { z } from 'zod';

/**
 * Push events from the services to the renderer (one way). Run progress is coalesced by the
 * engine to at most 10 events a second per run, so the transports forward them as they come.
 */
export const eventSchemas = {
  /** A generic notice for the status bar (e.g. "Sandbox org started on 127.0.0.1:…"). */
  'app:notice': z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
};
