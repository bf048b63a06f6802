/** The only IPC channel names the app uses; everything else is refused. */
export const INVOKE_CHANNEL = 'sluice:invoke';
export const EVENT_CHANNEL = 'sluice:event';
/**
 * Grants the path of a file the user dropped on the window. Not a contract channel on purpose:
 * only the preload's `pathForDroppedFile` sends it, with a path Electron read from a real File,
 * so page script (which cannot reach `ipcRenderer`) cannot ask for any other path.
 */
export const GRANT_DROPPED_FILE_CHANNEL = 'sluice:grant-dropped-file';

/** Command-line switch carrying the contract's channel names to the sandboxed preload. */
export const CHANNELS_ARGUMENT = '--sluice-channels';
