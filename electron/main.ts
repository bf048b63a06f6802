import { app, session, type BrowserWindow } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices, EventBus } from '../core/services';
import { pickFile } from './file-dialog';
import { forwardEvents, serveContract } from './ipc/contract-bridge';
import { createMainWindow } from './window';

// dist/electron/main.js → the app folder two levels up.
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererIndex = path.join(appDir, 'dist', 'renderer', 'index.html');

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  // No permission (camera, notifications, …) is ever granted to the renderer.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  const events = new EventBus();
  const windows: { main?: BrowserWindow } = {};
  const services = createServices({
    version: app.getVersion(),
    dataFolder: app.getPath('userData'),
    shell: 'electron',
    events,
    pickFile: (purpose, defaultPath) => pickFile(windows.main, purpose, defaultPath),
  });
  serveContract(services, (url) => fileURLToPath(url.split('#')[0] ?? '') === rendererIndex);
  windows.main = createMainWindow(appDir);
  forwardEvents(events, windows.main.webContents);
});

app.on('window-all-closed', () => app.quit());
