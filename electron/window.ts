import { BrowserWindow, shell, type WebContents } from 'electron';
import path from 'node:path';
import { channels } from '../core/contract';
import { CHANNELS_ARGUMENT } from './ipc/channel-names';

/**
 * The app window, locked down: sandboxed renderer without Node, context isolation, no
 * navigation away from the app, no new windows (https links open in the system browser).
 */
export function createMainWindow(appDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Sluice',
    show: false,
    webPreferences: {
      preload: path.join(appDir, 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
      additionalArguments: [`${CHANNELS_ARGUMENT}=${Object.keys(channels).join(',')}`],
    },
  });
  lockDown(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(path.join(appDir, 'dist', 'renderer', 'index.html'));
  return window;
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
