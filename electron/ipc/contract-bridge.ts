import { ipcMain, type WebContents } from 'electron';
import type { Services } from '../../core/contract';
import { dispatch, type EventBus } from '../../core/services';

import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channel-names';

/**
 * Serves the whole contract over one `ipcMain.handle` channel: the channel name and payload are
 * untrusted, so they go through the same validating dispatcher as the web host. Calls from any
 * frame other than the app's own top frame are refused.
 */
export function serveContract(services: Services, isTrustedSender: (url: string) => boolean): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, payload: unknown) => {
    const senderUrl = event.senderFrame?.url ?? '';
    if (!isTrustedSender(senderUrl)) {
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
