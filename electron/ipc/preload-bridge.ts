import { ipcRenderer, webUtils } from 'electron';
import type { CallResult, SluiceBridge } from '../../core/contract';
import { EVENT_CHANNEL, GRANT_DROPPED_FILE_CHANNEL, INVOKE_CHANNEL } from './channel-names';
import { createDroppedFileReader } from './dropped-file-reader';

/**
 * The renderer side of the contract: the only object the preload exposes. It forwards calls to
 * the one invoke channel and refuses channel names outside the contract before they leave the
 * renderer (the main process checks again). `pathForDroppedFile` turns a dropped File into its
 * path, granted by the main process (see dropped-file-reader.ts).
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
    pathForDroppedFile: createDroppedFileReader<File>({
      getPathForFile: (file) => webUtils.getPathForFile(file),
      requestGrant: async (filePath) =>
        (await ipcRenderer.invoke(GRANT_DROPPED_FILE_CHANNEL, filePath)) as CallResult<null>,
    }),
  };
}
