import type { z } from 'zod';
import { appChannels } from './app';
import { orgsChannels } from './orgs';
import { listsChannels } from './lists';
import { csvChannels, csvEvents } from './csv-pipeline';
import { runsChannels, runsEvents } from './runs';
import { mappingsChannels } from './mappings';
import { eventSchemas } from './events';
import { runViewChannels } from './run-view';

export * from './channel';
export * from './errors';
export * from './app';
export * from './orgs';
export * from './lists';
export * from './csv-pipeline';
export * from './runs';
export * from './mappings';
export * from './wire';
export * from './run-view';

/**
 * Every request/response channel, namespaced `feature:verb`. Adding a feature means adding its
 * own file beside this one and spreading it here; both shells pick it up from this table.
 */
export const channels = {
  ...appChannels,
  ...orgsChannels,
  ...listsChannels,
  ...csvChannels,
  ...runsChannels,
  ...mappingsChannels,
  ...runViewChannels,
};

export const events = { ...eventSchemas, ...csvEvents, ...runsEvents };

export type ChannelName = keyof typeof channels;
export type RequestOf<C extends ChannelName> = z.input<(typeof channels)[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<(typeof channels)[C]['response']>;

export type EventName = keyof typeof events;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

/** What a shell must provide: one async handler per channel, given an already-validated request. */
export type Services = {
  [C in ChannelName]: (
    request: z.output<(typeof channels)[C]['request']>,
  ) => Promise<ResponseOf<C>>;
};

/** The API the renderer sees as `window.sluice`, whichever shell serves it. */
export interface SluiceApi {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

/** Narrows an untrusted string (from IPC or a socket) to a channel name. */
export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}
