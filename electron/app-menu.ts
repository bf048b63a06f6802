import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do; everything else is a standard Electron role. */
export interface MenuActions {
  showAbout(): void;
  openLogsFolder(): void;
  copyDiagnostics(): void;
  openHelp(): void;
}

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  /** Reload and the developer tools exist only in development builds. */
  isDevelopment: boolean;
  actions: MenuActions;
}

/**
 * The native menu as a template (pure: `Menu.buildFromTemplate` happens in main.ts). Standard
 * roles give the platform's shortcuts; without an Edit menu macOS has no copy/paste in text
 * fields at all.
 */
export function appMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { actions } = options;
  const about: MenuItemConstructorOptions = {
    label: `About ${options.appName}`,
    click: () => actions.showAbout(),
  };
  const macAppMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      about,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [options.isMac ? { role: 'close' } : { role: 'quit' }],
  };
  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(options.isDevelopment
        ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    role: 'windowMenu',
  };
  const helpMenu: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    submenu: [
      { label: 'Sluice and Genesys Cloud help', click: () => actions.openHelp() },
      { type: 'separator' },
      { label: 'Open logs folder', click: () => actions.openLogsFolder() },
      { label: 'Copy diagnostics', click: () => actions.copyDiagnostics() },
      ...(options.isMac ? [] : [{ type: 'separator' } as const, about]),
    ],
  };
  return [...(options.isMac ? [macAppMenu] : [fileMenu]), editMenu, viewMenu, windowMenu, helpMenu];
}

/** The versions the About dialog and the diagnostics report. */
export interface AppVersions {
  app: string;
  electron?: string;
  chromium?: string;
  node?: string;
  sdk?: string;
}

/** The About dialog's detail text: one version per line. */
export function aboutDetail(versions: AppVersions): string {
  return [
    `Version ${versions.app}`,
    `Electron ${versions.electron ?? 'unknown'}`,
    `Chromium ${versions.chromium ?? 'unknown'}`,
    `Node.js ${versions.node ?? 'unknown'}`,
    `Genesys Cloud SDK (purecloud-platform-client-v2) ${versions.sdk ?? 'unknown'}`,
  ].join('\n');
}
