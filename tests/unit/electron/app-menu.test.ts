import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutDetail, appMenuTemplate, type MenuActions } from '../../../electron/app-menu';

function actions(): MenuActions {
  return {
    showAbout: vi.fn(),
    openLogsFolder: vi.fn(),
    copyDiagnostics: vi.fn(),
    openHelp: vi.fn(),
  };
}

function submenu(
  template: MenuItemConstructorOptions[],
  label: string,
): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  return Array.isArray(menu?.submenu) ? menu.submenu : [];
}

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => (item.role ? [item.role] : []));
}

function click(items: MenuItemConstructorOptions[], label: string): void {
  const item = items.find((entry) => entry.label === label);
  if (!item?.click) throw new Error(`no menu item ${label}`);
  (item.click as () => void)();
}

describe('the application menu', () => {
  it('has Edit with the standard roles (copy/paste in text fields on macOS)', () => {
    const template = appMenuTemplate({
      appName: 'Sluice',
      isMac: true,
      isDevelopment: false,
      actions: actions(),
    });
    expect(roles(submenu(template, 'Edit'))).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    expect(template.map((item) => item.label)).toEqual([
      'Sluice',
      'Edit',
      'View',
      'Window',
      'Help',
    ]);
  });

  it('offers reload and developer tools in development only, zoom always', () => {
    const production = appMenuTemplate({
      appName: 'Sluice',
      isMac: false,
      isDevelopment: false,
      actions: actions(),
    });
    const development = appMenuTemplate({
      appName: 'Sluice',
      isMac: false,
      isDevelopment: true,
      actions: actions(),
    });
    expect(roles(submenu(production, 'View'))).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    expect(roles(submenu(development, 'View'))).toEqual([
      'reload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    expect(production.map((item) => item.label)).toEqual([
      'File',
      'Edit',
      'View',
      'Window',
      'Help',
    ]);
  });

  it('Help opens the logs folder, copies diagnostics and shows About', () => {
    const handlers = actions();
    const help = submenu(
      appMenuTemplate({ appName: 'Sluice', isMac: false, isDevelopment: false, actions: handlers }),
      'Help',
    );
    click(help, 'Open logs folder');
    click(help, 'Copy diagnostics');
    click(help, 'About Sluice');
    click(help, 'Sluice and Genesys Cloud help');
    expect(handlers.openLogsFolder).toHaveBeenCalledOnce();
    expect(handlers.copyDiagnostics).toHaveBeenCalledOnce();
    expect(handlers.showAbout).toHaveBeenCalledOnce();
    expect(handlers.openHelp).toHaveBeenCalledOnce();
  });

  it('About names the app, Electron, Chromium, Node and SDK versions', () => {
    const text = aboutDetail({
      app: '0.1.0',
      electron: '41.7.1',
      chromium: '140.0',
      node: '22.1.0',
      sdk: '262.0.0',
    });
    expect(text.split('\n')).toEqual([
      'Version 0.1.0',
      'Electron 41.7.1',
      'Chromium 140.0',
      'Node.js 22.1.0',
      'Genesys Cloud SDK (purecloud-platform-client-v2) 262.0.0',
    ]);
  });
});
