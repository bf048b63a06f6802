import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * The packaged shell's own behaviour, through Playwright's Electron driver: launch, the native
 * menu, the single-instance lock and the CSP the app:// protocol sends. They need the Electron
 * binary; where it was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD) each test skips and says why.
 */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary };
    return { missing: 'the electron package is installed without its binary' };
  } catch (error) {
    return {
      missing: `the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?): ${(error as Error).message.split('\n')[0]}`,
    };
  }
}

const binary = electronBinary();
const mainScript = path.resolve('dist/electron/main.js');
const dataFolders: string[] = [];

test.beforeEach(() => {
  if ('missing' in binary) {
    console.log(`[electron] skipped: ${binary.missing}.`);
    test.skip(true, binary.missing);
  }
  if (!existsSync(mainScript)) {
    throw new Error('dist/electron/main.js is missing: run `npm run build` before this test.');
  }
});

test.afterAll(() => {
  for (const folder of dataFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function newDataFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-electron-'));
  dataFolders.push(folder);
  return folder;
}

async function launch(dataFolder: string): Promise<ElectronApplication> {
  if ('missing' in binary) throw new Error(binary.missing);
  return electron.launch({
    executablePath: binary.path,
    args: [mainScript],
    env: { ...process.env, SLUICE_DATA_DIR: dataFolder },
  });
}

test('launches a sandboxed window on app:// that talks to the services over IPC', async () => {
  const app = await launch(newDataFolder());
  try {
    const window = await app.firstWindow();
    expect(window.url()).toMatch(/^app:\/\/sluice\//);
    await expect(window.getByTestId('app-info')).toContainText('desktop');
    const exposed = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { sluice?: object }).sluice ?? {}).sort(),
    }));
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: ['call', 'pathForDroppedFile', 'subscribe'],
    });
    await window.screenshot({ path: 'test-results/screens/electron-orgs.png' });
  } finally {
    await app.close();
  }
});

test('the native menu has Edit roles, View without reload in production, and Help actions', async () => {
  const app = await launch(newDataFolder());
  try {
    await app.firstWindow();
    const menu = await app.evaluate(({ Menu }) =>
      (Menu.getApplicationMenu()?.items ?? []).map((item) => ({
        label: item.label,
        items: (item.submenu?.items ?? []).map((entry) => entry.role?.toLowerCase() || entry.label),
      })),
    );
    const edit = menu.find((item) => item.label === 'Edit');
    expect(edit?.items.filter(Boolean)).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectall']),
    );
    const help = menu.find((item) => item.label === 'Help');
    expect(help?.items).toEqual(expect.arrayContaining(['Open logs folder', 'Copy diagnostics']));
    expect(menu.map((item) => item.label)).toEqual(
      expect.arrayContaining(['View', 'Window', 'Help']),
    );
  } finally {
    await app.close();
  }
});

test('a second launch on the same data folder exits and focuses the first window', async () => {
  const dataFolder = newDataFolder();
  const app = await launch(dataFolder);
  try {
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    if ('missing' in binary) return;
    // The first instance hears about the second launch (main.ts then restores and focuses).
    const handedOver = app.evaluate(
      ({ app: electronApp }) =>
        new Promise<boolean>((resolve) => electronApp.once('second-instance', () => resolve(true))),
    );
    const second = spawn(binary.path, [mainScript], {
      env: { ...process.env, SLUICE_DATA_DIR: dataFolder },
      stdio: 'ignore',
    });
    const exitCode = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(exitCode).toBe(0);
    expect(await handedOver).toBe(true);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});

test('app:// responses carry the CSP header and the renderer cannot eval', async () => {
  const app = await launch(newDataFolder());
  try {
    const window = await app.firstWindow();
    const csp = await window.evaluate(async () => {
      const response = await fetch('app://sluice/index.html');
      return response.headers.get('content-security-policy');
    });
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    const evalResult = await window.evaluate(() => {
      try {
        return String(new Function('return 1')());
      } catch {
        return 'blocked';
      }
    });
    expect(evalResult).toBe('blocked');
  } finally {
    await app.close();
  }
});

test('a crashed window process is reloaded and the app comes back', async () => {
  const app = await launch(newDataFolder());
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('app-info')).toContainText('desktop');
    await app.evaluate(({ BrowserWindow }) => {
      BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer();
    });
    // Read through the main process: the crashed page's own handle may not outlive the crash.
    const shown = () =>
      app.evaluate(async ({ BrowserWindow }) => {
        const contents = BrowserWindow.getAllWindows()[0]?.webContents;
        if (!contents || contents.isCrashed() || contents.isLoading()) return '';
        return (await contents.executeJavaScript(
          `document.querySelector('[data-testid="app-info"]')?.textContent ?? ''`,
        )) as string;
      });
    await expect.poll(shown, { timeout: 30_000 }).toContain('desktop');
  } finally {
    await app.close();
  }
});
