import { BrowserWindow, type WebContents } from 'electron';
import path from 'node:path';
import { channels } from '../core/contract';
import { CHANNELS_ARGUMENT } from './ipc/channel-names';
import {
  mainWindowOptions,
  preventNavigation,
  RENDERER_URL,
  windowOpenHandler,
} from './security-policy';
import type { WindowState } from './window-state';

/**
 * The app window, locked down (electron/security-policy.ts): sandboxed renderer without Node,
 * context isolation, served from `app://`, no navigation away from the app, no new windows
 * (allow-listed Genesys links open in the system browser). Size and position are remembered.
 */
export function createMainWindow(
  appDir: string,
  state: WindowState,
  openExternal: (url: string) => void,
): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath: path.join(appDir, 'dist', 'electron', 'preload.cjs'),
      channelsArgument: `${CHANNELS_ARGUMENT}=${Object.keys(channels).join(',')}`,
      bounds: state.initialBounds(),
    }),
  );
  if (state.wasMaximized()) window.maximize();
  state.track(window);
  lockDown(window.webContents, openExternal);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(RENDERER_URL);
  return window;
}

function lockDown(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', preventNavigation);
  contents.on('will-redirect', preventNavigation);
  contents.on('will-attach-webview', preventNavigation);
  contents.setWindowOpenHandler(windowOpenHandler(openExternal));
}
