import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Services } from '../../core/contract';
import { dispatch, type EventBus } from '../../core/services';

import type { FileAccess } from '../../core/services/file-access';
import { EVENT_CHANNEL, GRANT_DROPPED_FILE_CHANNEL, INVOKE_CHANNEL } from './channel-names';
import { grantDroppedFile } from './dropped-file-grant';

/**
 * Serves the whole contract over one `ipcMain.handle` channel: the channel name and payload are
 * untrusted, so they go through the same validating dispatcher as the web host. A call is
 * answered only when `isTrustedSender` accepts its sender (our window's main frame, see
 * electron/security-policy.ts); anything else gets an `unauthorized` error and is logged.
 */
export function serveContract(
  services: Services,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  onRefused: (senderUrl: string) => void = () => undefined,
): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, payload: unknown) => {
    if (!isTrustedSender(event)) {
      const senderUrl = event.senderFrame?.url ?? '';
      onRefused(senderUrl);
      return {
        ok: false,
        error: {
          code: 'unauthorized',
          message: `Refused a call from ${senderUrl || 'an unknown frame'}`,
        },
      };
    }
    return dispatch(services, channel, payload);
  });
}

/**
 * Answers the preload's drop grants: a file the user dropped on the window becomes usable by the
 * contract's file channels, as a file picked in a native dialog is (see dropped-file-grant.ts).
 */
export function serveDroppedFileGrants(
  fileAccess: FileAccess,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  onRefused: (senderUrl: string) => void = () => undefined,
): void {
  ipcMain.handle(GRANT_DROPPED_FILE_CHANNEL, (event, filePath: unknown) => {
    const trusted = isTrustedSender(event);
    if (!trusted) onRefused(event.senderFrame?.url ?? '');
    return grantDroppedFile(fileAccess, trusted, filePath);
  });
}

/** Forwards every service event to one window while it lives. */
export function forwardEvents(events: EventBus, contents: WebContents): void {
  const unsubscribe = events.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
  });
  contents.once('destroyed', unsubscribe);
}
