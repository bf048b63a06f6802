import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Services } from '../../core/contract';
import { dispatch, type EventBus } from '../../core/services';

import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channel-names';

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

/** Forwards every service event to one window while it lives. */
export function forwardEvents(events: EventBus, contents: WebContents): void {
  const unsubscribe = events.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
  });
  contents.once('destroyed', unsubscribe);
}
