import { contextBridge } from 'electron';
import { CHANNELS_ARGUMENT } from './ipc/channel-names';
import { createPreloadBridge } from './ipc/preload-bridge';

// Sandboxed preload: exposes exactly one object, `window.sluice`, limited to the contract's
// channels. Main passes their names as an argument so the preload stays tiny (no zod bundle).
const argument = process.argv.find((value) => value.startsWith(`${CHANNELS_ARGUMENT}=`)) ?? '';
const knownChannels = new Set(
  argument
    .slice(CHANNELS_ARGUMENT.length + 1)
    .split(',')
    .filter(Boolean),
);
contextBridge.exposeInMainWorld('sluice', createPreloadBridge(knownChannels));
