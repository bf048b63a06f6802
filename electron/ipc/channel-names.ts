/** The only two IPC channel names the app uses; everything else is refused. */
export const INVOKE_CHANNEL = 'sluice:invoke';
export const EVENT_CHANNEL = 'sluice:event';

/** Command-line switch carrying the contract's channel names to the sandboxed preload. */
export const CHANNELS_ARGUMENT = '--sluice-channels';
