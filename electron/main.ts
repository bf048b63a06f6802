import { app, session, shell, type BrowserWindow } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppRuntime, type AppRuntime } from '../core/services/app-runtime';
import { defaultDataFolder } from '../core/store';
import { pickFile } from './file-dialog';
import { createSafeStorageSecretStore } from './secret-store-safe-storage';
import { createElectronProfileStore } from './settings-store';
import { forwardEvents, serveContract } from './ipc/contract-bridge';
import { createMainWindow } from './window';

// dist/electron/main.js → the app folder two levels up.
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererIndex = path.join(appDir, 'dist', 'renderer', 'index.html');

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();
// The CLI and the app share one data folder (profiles, runs): SLUICE_DATA_DIR or the OS default.
app.setPath('userData', defaultDataFolder());

let runtime: AppRuntime | undefined;

app.whenReady().then(async () => {
  // No permission (camera, notifications, …) is ever granted to the renderer.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  const windows: { main?: BrowserWindow } = {};
  const dataFolder = app.getPath('userData');
  runtime = await startAppRuntime({
    version: app.getVersion(),
    dataFolder,
    // Keychain first; if keytar cannot load, secrets are encrypted with Electron safeStorage.
    secretFallback: () => createSafeStorageSecretStore(dataFolder),
    profileStore: createElectronProfileStore(dataFolder),
    shell: 'electron',
    pickFile: (purpose, defaultPath) => pickFile(windows.main, purpose, defaultPath),
    openBrowser: (url) => shell.openExternal(url),
    prepareWorker: { url: new URL('./prepare-worker.js', import.meta.url) },
  });
  serveContract(
    runtime.services,
    (url) => fileURLToPath(url.split('#')[0] ?? '') === rendererIndex,
  );
  windows.main = createMainWindow(appDir);
  forwardEvents(runtime.events, windows.main.webContents);
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => void runtime?.close());
