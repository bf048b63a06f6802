import { ipcRenderer } from 'electron';
import type { CallResult, SluiceBridge } from '../../core/contract';
import { INVOKE_CHANNEL, EVENT_CHANNEL } from './channel-names';

/**
 * The renderer side of the contract: the only object the preload exposes. It forwards calls to
 * the one invoke channel and refuses channel names outside the contract before they leave the
 * renderer (the main process checks again).
 */
export function createPreloadBridge(knownChannels: ReadonlySet<string>): SluiceBridge {
  return {
    async call(channel: string, payload: unknown): Promise<CallResult<unknown>> {
      if (typeof channel !== 'string' || !knownChannels.has(channel)) {
        return {
          ok: false,
          error: { code: 'unknown-channel', message: `Unknown channel: ${String(channel)}` },
        };
      }
      return (await ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload)) as CallResult<unknown>;
    },
    subscribe(listener) {
      const handler = (_event: unknown, name: string, payload: unknown) => listener(name, payload);
      ipcRenderer.on(EVENT_CHANNEL, handler);
      return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    },
  };
}
