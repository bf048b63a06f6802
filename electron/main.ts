import { app, clipboard, dialog, Menu, session, shell, type BrowserWindow } from 'electron';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatDiagnostics,
  installCrashHandlers,
  openAppLogOrStderr,
  recentProblems,
  RunEventsLog,
  type AppLog,
} from '../core/log';
import type { CrashReport } from '../core/log/crash-handlers';
import { startAppRuntime, type AppRuntime } from '../core/services/app-runtime';
import { defaultDataFolder } from '../core/store';
import { aboutDetail, appMenuTemplate, type AppVersions } from './app-menu';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { pickFile } from './file-dialog';
import { forwardEvents, serveContract, serveDroppedFileGrants } from './ipc/contract-bridge';
import { pauseRunningRuns } from './quit-safely';
import { RendererRecovery, rendererGoneMessage } from './renderer-recovery';
import { createSafeStorageSecretStore } from './secret-store-safe-storage';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  isAllowedExternalUrl,
  isTrustedIpcSender,
} from './security-policy';
import { createElectronProfileStore } from './settings-store';
import { createMainWindow } from './window';
import { WindowState } from './window-state';

// dist/electron/main.js → the app folder two levels up.
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererDir = path.join(appDir, 'dist', 'renderer');
const HELP_URL = 'https://help.mypurecloud.com/';

// Both must happen before the app is ready.
registerAppScheme();
app.enableSandbox();

// The CLI and the app share one data folder (profiles, runs, logs): SLUICE_DATA_DIR or the OS
// default. Set before the lock, which Electron keys on it.
app.setPath('userData', defaultDataFolder());
// One instance per data folder: a second launch hands over to the first, which comes to the front.
if (app.requestSingleInstanceLock()) startApp();
else app.quit();

function startApp(): void {
  const windows: { main?: BrowserWindow } = {};
  let runtime: AppRuntime | undefined;
  let log: AppLog | undefined;
  let runsLog: RunEventsLog | undefined;
  let readyToQuit = false;
  // Once quitting, a window process that goes is not brought back.
  let quitting = false;
  const rendererRecovery = new RendererRecovery();

  app.on('second-instance', () => {
    const window = windows.main;
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  app.whenReady().then(async () => {
    const dataFolder = app.getPath('userData');
    const openLog = await openAppLogOrStderr({ dataFolder, process: 'electron' });
    const openRunsLog = new RunEventsLog(openLog.logger, async (runId) =>
      runtime ? (await runtime.services['runs:get']({ runId })).summary.orgName : undefined,
    );
    log = openLog;
    runsLog = openRunsLog;
    installCrashHandlers({
      log: openLog,
      runningRunIds: () => openRunsLog.runningRunIds(),
      show: (report) => showCrash(report),
    });
    // A renderer that dies is logged and its window reloaded (the form and run views restore
    // themselves); one that keeps dying gets a message instead (renderer-recovery.ts).
    app.on('render-process-gone', (_event, contents, details) => {
      openLog.logger.error({ event: 'renderer-gone', ...details }, 'the window process stopped');
      const window = windows.main;
      if (quitting || !window || window.isDestroyed() || contents !== window.webContents) return;
      const action = rendererRecovery.onGone(details.reason);
      if (action === 'reload') {
        openLog.logger.info({ event: 'renderer-reload' }, 'reloading the window');
        contents.reload();
      } else if (action === 'give-up') {
        void showRendererGone(window, details.reason, openLog.folder);
      }
    });
    app.on('child-process-gone', (_event, details) =>
      openLog.logger.error({ event: 'child-process-gone', ...details }, 'a helper process stopped'),
    );
    const versions = appVersions();
    openLog.logger.info({ event: 'started', versions, dataFolder }, 'desktop app started');

    // No permission (camera, notifications, clipboard read, …) is ever granted or reported.
    session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
    session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
    serveAppProtocol(session.defaultSession, rendererDir);

    const openExternal = (url: string, allowLoopback = false): void => {
      if (isAllowedExternalUrl(url, { allowLoopback })) void shell.openExternal(url);
      else openLog.logger.warn({ event: 'open-external-refused', url }, 'refused to open a link');
    };
    const started = await startAppRuntime({
      version: app.getVersion(),
      dataFolder,
      // Keychain first; if keytar cannot load, secrets are encrypted with Electron safeStorage.
      secretFallback: () => createSafeStorageSecretStore(dataFolder),
      profileStore: createElectronProfileStore(dataFolder),
      shell: 'electron',
      pickFile: (purpose, defaultPath) => pickFile(windows.main, purpose, defaultPath),
      // Sign-in opens the system browser at the org's login host (or the Sandbox on 127.0.0.1).
      openBrowser: (url) => openExternal(url, true),
      prepareWorker: { url: new URL('./prepare-worker.js', import.meta.url) },
    });
    runtime = started;
    started.events.subscribe((event, payload) => openRunsLog.onEvent(event, payload));
    serveContract(
      started.services,
      (event) => isTrustedIpcSender(event, windows.main?.webContents),
      (senderUrl) =>
        openLog.logger.warn({ event: 'ipc-refused', senderUrl }, 'refused an IPC call'),
    );
    serveDroppedFileGrants(
      started.fileAccess,
      (event) => isTrustedIpcSender(event, windows.main?.webContents),
      (senderUrl) =>
        openLog.logger.warn({ event: 'ipc-refused', senderUrl }, 'refused a drop grant'),
    );

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({
          appName: app.getName(),
          isMac: process.platform === 'darwin',
          isDevelopment: !app.isPackaged,
          actions: {
            showAbout: () => void showAbout(versions),
            openLogsFolder: () => void shell.openPath(openLog.folder),
            copyDiagnostics: () => void copyDiagnostics(started, openLog, versions, dataFolder),
            openHelp: () => openExternal(HELP_URL),
          },
        }),
      ),
    );
    windows.main = createMainWindow(appDir, new WindowState(dataFolder), (url) =>
      openExternal(url),
    );
    forwardEvents(started.events, windows.main.webContents);
  });

  /** The renderer keeps dying: say so, with the log's folder; reload only if asked. */
  async function showRendererGone(
    window: BrowserWindow,
    reason: string,
    logsFolder: string,
  ): Promise<void> {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: 'Sluice',
      ...rendererGoneMessage(reason, logsFolder),
      buttons: ['Reload', 'Quit Sluice'],
      defaultId: 0,
      cancelId: 0,
    });
    if (response === 1) app.quit();
    else if (!window.isDestroyed()) {
      rendererRecovery.reset();
      window.webContents.reload();
    }
  }

  function showCrash(report: CrashReport): void {
    const running = report.runningRunIds.length
      ? `\n\nUploads still running: ${report.runningRunIds.join(', ')}. Their progress is saved; they keep going if you keep Sluice open.`
      : '';
    void dialog
      .showMessageBox({
        type: 'error',
        title: 'Sluice hit an unexpected error',
        message: report.message,
        detail: `The error is in the log (Help → Open logs folder).${running}`,
        buttons: ['Keep running', 'Quit Sluice'],
        defaultId: 0,
        cancelId: 0,
      })
      .then(({ response }) => {
        if (response === 1) app.quit();
      });
  }

  // Quitting pauses running uploads first, so they stop between batches (see quit-safely.ts).
  app.on('before-quit', (event) => {
    quitting = true;
    const running = runsLog?.runningRunIds() ?? [];
    if (readyToQuit || !runtime || running.length === 0) return;
    event.preventDefault();
    log?.logger.info(
      { event: 'quitting', runningRunIds: running },
      'pausing uploads before quitting',
    );
    void pauseRunningRuns(runtime.services, () => runsLog?.runningRunIds() ?? []).then((left) => {
      if (left.length) log?.logger.warn({ runningRunIds: left }, 'quitting with uploads running');
      readyToQuit = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    log?.logger.info({ event: 'quit' }, 'desktop app quit');
    log?.flushSync();
    void runtime?.close();
  });
}

function appVersions(): AppVersions {
  let sdk: string | undefined;
  try {
    const require = createRequire(import.meta.url);
    sdk = (require('purecloud-platform-client-v2/package.json') as { version: string }).version;
  } catch {
    sdk = undefined;
  }
  return {
    app: app.getVersion(),
    electron: process.versions.electron,
    chromium: process.versions.chrome,
    node: process.versions.node,
    sdk,
  };
}

async function showAbout(versions: AppVersions): Promise<void> {
  const detail = aboutDetail(versions);
  const { response } = await dialog.showMessageBox({
    type: 'info',
    title: `About ${app.getName()}`,
    message: app.getName(),
    detail,
    buttons: ['OK', 'Copy'],
    defaultId: 0,
  });
  if (response === 1) clipboard.writeText(detail);
}

async function copyDiagnostics(
  runtime: AppRuntime,
  log: AppLog,
  versions: AppVersions,
  dataFolder: string,
): Promise<void> {
  const [info, orgs] = await Promise.all([
    runtime.services['app:info']({}).catch(() => undefined),
    runtime.services['orgs:list']({}).catch(() => undefined),
  ]);
  clipboard.writeText(
    formatDiagnostics({
      versions: { ...versions },
      settings: { app: info, orgs },
      recentProblems: recentProblems(log.folder),
      dataFolder,
      logsFolder: log.folder,
    }),
  );
  await dialog.showMessageBox({
    type: 'info',
    message: 'Diagnostics copied',
    detail: 'Versions, OS, settings (no secrets) and the latest errors are on the clipboard.',
  });
}
